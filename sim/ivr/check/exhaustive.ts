// The exhaustive properties, read off the explored menu graph. Per-transition findings
// come from the walk itself; here are the ones about paths: whether every call can still
// end from wherever it is, whether a silent caller is let go within a bound, and whether
// every center is reached by someone inside agent hours.

import { explore, isTimer, type Label, type MenuGraph, pathTo } from './graph.js';
import type { AreaCodeClass } from './input.js';
import type { Moment } from './calendar-scan.js';
import type { DynamicProperty } from './properties.js';
import type { IvrSpec } from '../types.js';

/** A path of the abstract walk: a root (area code class, moment) and the labels taken. */
export interface AbstractPath {
  readonly area: number;
  readonly moment: number;
  readonly labels: readonly Label[];
  /** For a loop: where in `labels` the repeating part starts. */
  readonly loopFrom?: number;
}

export interface ExhaustiveViolation {
  readonly property: DynamicProperty;
  readonly message: string;
  /** A shortest path that shows it; absent when no single call can (centers-reachable). */
  readonly path?: AbstractPath;
}

export interface ExhaustiveResult {
  readonly violations: readonly ExhaustiveViolation[];
  readonly states: number;
  readonly transitions: number;
  readonly truncated: boolean;
  /** Most timer events (prompts, time-outs, branches) a silent caller meets from any state. */
  readonly silentBound: number;
  /** Center id -> the first path that queues for it inside agent hours. */
  readonly centersReached: ReadonlyMap<string, AbstractPath>;
  readonly menusVisited: ReadonlySet<string>;
}

export interface ExhaustiveOptions {
  readonly areas: readonly AreaCodeClass[];
  readonly moments: readonly Moment[];
  readonly changes: (from: Moment, to: Moment) => boolean;
  readonly resolveCenter: (target: { center: string }, areaCode: string) => string | undefined;
  readonly centers: readonly string[];
  readonly maxStates?: number;
}

export function exhaustiveCheck(spec: IvrSpec, opts: ExhaustiveOptions): ExhaustiveResult {
  const g = explore(spec, { ...opts, maxStates: opts.maxStates ?? 300_000 });
  const violations: ExhaustiveViolation[] = [];
  const path = (node: number, extra: readonly Label[] = [], loopFrom?: number): AbstractPath => {
    const { root, labels } = pathTo(g, node);
    const r = g.nodes[root]!;
    const all = [...labels, ...extra];
    return loopFrom === undefined ? { area: r.area, moment: r.moment, labels: all } : { area: r.area, moment: r.moment, labels: all, loopFrom: labels.length + loopFrom };
  };

  for (const f of g.findings) violations.push({ property: f.property as DynamicProperty, message: f.message, path: path(f.from, [f.label]) });

  if (!g.truncated && !violations.some((v) => v.property === 'star-returns-to-parent')) {
    const wrong = wrongParent(spec, g);
    if (wrong) violations.push({ ...wrong, path: path(wrong.node, [{ kind: 'event', event: { kind: 'key', key: '*' } }]) });
  }

  const ends = endAnalysis(g);
  if (!g.truncated && ends.trap !== undefined) {
    violations.push({ property: 'every-path-ends', message: ends.trapText!, path: path(ends.trap) });
  } else if (!g.truncated && ends.loop !== undefined) {
    const { start, labels, loopFrom, menus } = ends.loop;
    violations.push({
      property: 'every-path-ends',
      message: `a caller who presses nothing is never let go: ${menus.map((m) => `\`${m}\``).join(' → ')} → … again and again`,
      path: path(start, labels, loopFrom),
    });
  }

  const centersReached = new Map<string, AbstractPath>();
  for (const e of g.enqueues) {
    if (e.agentHours && !centersReached.has(e.center)) centersReached.set(e.center, path(e.node, [e.label]));
  }
  const missing = opts.centers.filter((c) => !centersReached.has(c));
  if (!g.truncated && missing.length > 0) {
    const reached = [...centersReached.keys()];
    violations.push({
      property: 'centers-reachable',
      message:
        `no caller reaches an agent of center${missing.length > 1 ? 's' : ''} ${missing.map((c) => `\`${c}\``).join(', ')} inside agent hours` +
        (reached.length > 0 ? `; queues reached: ${reached.map((c) => `\`${c}\``).join(', ')}` : '; no path reaches any agent queue'),
    });
  }
  const menusVisited = new Set(g.nodes.filter((n) => !n.point.fresh).map((n) => n.point.state.menu));
  violations.sort((a, b) => order(a.property) - order(b.property));
  return {
    violations,
    states: g.nodes.length,
    transitions: g.transitions,
    truncated: g.truncated,
    silentBound: ends.silentBound,
    centersReached,
    menusVisited,
  };
}

/**
 * A parent the caller never comes from: `*` would take them somewhere they have not been.
 * Reported at the first state waiting in such a menu, with `*` pressed there.
 */
function wrongParent(spec: IvrSpec, g: MenuGraph): { property: 'star-returns-to-parent'; message: string; node: number } | undefined {
  for (let id = 0; id < g.nodes.length; id++) {
    const { state, fresh } = g.nodes[id]!.point;
    if (fresh || state.phase !== 'waiting') continue;
    const menu = spec.menus[state.menu];
    const from = g.cameFrom.get(state.menu);
    if (!menu || menu.parent === null || !from || from.has(menu.parent)) continue;
    const variant = menu.variants[state.variant];
    if (variant?.options['*'] !== undefined) continue;
    return {
      property: 'star-returns-to-parent',
      message: `\`*\` in \`${menu.id}\` returns to its parent \`${menu.parent}\`, but callers reach \`${menu.id}\` only from ${[...from].map((m) => `\`${m}\``).join(', ')}`,
      node: id,
    };
  }
  return undefined;
}

const ORDER: readonly DynamicProperty[] = ['every-path-ends', 'star-returns-to-parent', 'invalid-key-replays', 'no-queue-outside-hours', 'centers-reachable', 'no-engine-error'];
const order = (p: DynamicProperty): number => ORDER.indexOf(p);

interface Ends {
  /** The first (so nearest) node from which no event sequence ends the call. */
  readonly trap?: number;
  readonly trapText?: string;
  /** The first node from which timer events alone go on forever, and one loop from it. */
  readonly loop?: { start: number; labels: Label[]; loopFrom: number; menus: string[] };
  readonly silentBound: number;
}

function endAnalysis(g: MenuGraph): Ends {
  const n = g.nodes.length;
  const out: number[][] = Array.from({ length: n }, () => []);
  const back: number[][] = Array.from({ length: n }, () => []);
  for (let e = 0; e < g.edgeFrom.length; e++) {
    if (g.edgeLabel[e]!.kind === 'clock') continue; // waiting for opening time is no way out
    out[g.edgeFrom[e]!]!.push(e);
    back[g.edgeTo[e]!]!.push(e);
  }
  // Nodes that can still end: backwards from the ended ones.
  const canEnd = new Uint8Array(n);
  const queue: number[] = [];
  g.nodes.forEach((node, id) => {
    if (!node.point.fresh && node.point.state.phase === 'ended') {
      canEnd[id] = 1;
      queue.push(id);
    }
  });
  for (let q = 0; q < queue.length; q++) {
    for (const e of back[queue[q]!]!) {
      const from = g.edgeFrom[e]!;
      if (!canEnd[from]) {
        canEnd[from] = 1;
        queue.push(from);
      }
    }
  }
  const trap = g.nodes.findIndex((_, id) => !canEnd[id]);

  // Silent callers: peel nodes whose timer successors all end; what is left loops forever.
  const timerOut = out.map((es) => es.filter((e) => isTimer(g.edgeLabel[e]!)));
  const remaining = timerOut.map((es) => es.length);
  const longest = new Array<number>(n).fill(0);
  const peeled = new Uint8Array(n);
  const stack = remaining.flatMap((r, id) => (r === 0 ? [id] : []));
  while (stack.length > 0) {
    const id = stack.pop()!;
    peeled[id] = 1;
    for (const e of back[id]!) {
      if (!isTimer(g.edgeLabel[e]!)) continue;
      const from = g.edgeFrom[e]!;
      longest[from] = Math.max(longest[from]!, longest[id]! + 1);
      if (--remaining[from]! === 0) stack.push(from);
    }
  }
  const silentBound = longest.reduce((a, b) => Math.max(a, b), 0);
  const loopStart = g.nodes.findIndex((_, id) => !peeled[id]);
  let loop: Ends['loop'];
  if (loopStart >= 0) {
    const seen = new Map<number, number>();
    const labels: Label[] = [];
    const visited: number[] = [];
    let id = loopStart;
    while (!seen.has(id)) {
      seen.set(id, labels.length);
      const e = timerOut[id]!.find((x) => !peeled[g.edgeTo[x]!])!;
      labels.push(g.edgeLabel[e]!);
      id = g.edgeTo[e]!;
      visited.push(id);
    }
    const loopFrom = seen.get(id)!;
    const menus: string[] = [];
    for (const v of visited.slice(loopFrom)) {
      const menu = g.nodes[v]!.point.state.menu;
      if (menus[menus.length - 1] !== menu) menus.push(menu);
    }
    if (menus.length > 1 && menus[0] === menus[menus.length - 1]) menus.pop();
    loop = { start: loopStart, labels, loopFrom, menus };
  }
  const trapText = trap >= 0 ? trapMessage(g, out, trap) : undefined;
  return { ...(trap >= 0 ? { trap, trapText: trapText! } : {}), ...(loop ? { loop } : {}), silentBound };
}

function trapMessage(g: MenuGraph, out: readonly number[][], trap: number): string {
  // The menus the call can still reach from the trap, to name the dead end.
  const reach = new Set<number>([trap]);
  const todo = [trap];
  while (todo.length > 0) {
    const id = todo.pop()!;
    for (const e of out[id]!) {
      const to = g.edgeTo[e]!;
      if (!reach.has(to)) {
        reach.add(to);
        todo.push(to);
      }
    }
  }
  const menus = [...new Set([...reach].map((id) => g.nodes[id]!.point.state.menu))];
  const here = g.nodes[trap]!.point;
  if (here.pending === null) return `in \`${here.state.menu}\` (${here.state.phase}) the IVR waits for nothing: the call can never end`;
  return `from here the call can never end: no key, time-out or branch result leads out of ${menus.map((m) => `\`${m}\``).join(', ')}`;
}
