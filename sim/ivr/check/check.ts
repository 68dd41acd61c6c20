// `callsim check`: prove the properties of properties.ts for one IVR, in three layers —
// static checks of the menu file, an exhaustive walk of every reachable state, and
// fast-check model-based runs of random calls in time — and collect every violation with
// a counterexample and what replays it.

import { CalendarScan, type Moment } from './calendar-scan.js';
import { exhaustiveCheck, type ExhaustiveResult } from './exhaustive.js';
import { areaCodeClasses, type CheckInput, resolveCenter } from './input.js';
import { modelBasedCheck, type ModelBasedResult } from './model-based.js';
import {
  DYNAMIC_PROPERTIES,
  type DynamicProperty,
  PER_CALL_PROPERTIES,
  type PropertyName,
  STATIC_PROPERTIES,
} from './properties.js';
import { staticChecks } from './static-checks.js';
import { type CallTrace, concretize } from './trace.js';

export interface CheckOptions {
  /** fast-check seed; the scenario's seed by default, so that a check is deterministic. */
  readonly seed: number;
  /** Random calls. Default 1000. */
  readonly runs?: number;
  /** Replay one fast-check failure: only the model-based runs, from this path. */
  readonly path?: string;
  readonly replayPath?: string;
  /** Check only this property. */
  readonly only?: PropertyName;
  readonly maxStates?: number;
}

export type Layer = 'static' | 'exhaustive' | 'model-based';

export interface Violation {
  readonly property: PropertyName;
  readonly layer: Layer;
  readonly message: string;
  readonly trace?: CallTrace;
  /** What replays it: the property alone (static, exhaustive), or fast-check's coordinates. */
  readonly replay: { readonly property: PropertyName } | { readonly seed: number; readonly path: string; readonly replayPath?: string };
  readonly shrinks?: number;
}

export interface CheckReport {
  readonly ivrFile: string;
  readonly pass: boolean;
  /** Properties checked per layer. */
  readonly checked: Readonly<Record<Layer, readonly PropertyName[]>>;
  readonly violations: readonly Violation[];
  /** Static checks failed so badly that nothing could run. */
  readonly stoppedAfterStatic: boolean;
  readonly contexts: { readonly moments: readonly Moment[]; readonly areaCodes: readonly (readonly string[])[] };
  readonly exhaustive?: Omit<ExhaustiveResult, 'violations' | 'centersReached' | 'menusVisited'> & { readonly centersReached: readonly string[] };
  readonly modelBased?: Omit<ModelBasedResult, 'failure'>;
  readonly replaying: boolean;
}

export function checkIvr(input: CheckInput, options: CheckOptions): CheckReport {
  const spec = input.ivr;
  const scan = new CalendarScan(input.calendar, input.start);
  const moments = scan.moments();
  const areas = areaCodeClasses(input);
  const wanted = (p: PropertyName): boolean => options.only === undefined || options.only === p;
  const replaying = options.path !== undefined;
  const violations: Violation[] = [];
  const checked: Record<Layer, PropertyName[]> = { static: [], exhaustive: [], 'model-based': [] };
  const contexts = { moments, areaCodes: areas.map((a) => a.members) };

  const stat = staticChecks(spec, input.centers, moments, areas);
  if (!replaying) {
    checked.static = STATIC_PROPERTIES.filter(wanted);
    for (const v of stat.violations) {
      if (wanted(v.property)) violations.push({ property: v.property, layer: 'static', message: v.message, replay: { property: v.property } });
    }
  }
  if (!stat.walkable) {
    // Broken names leave nothing sound to walk; say so even when another property was asked for.
    for (const v of stat.violations) {
      if (!wanted(v.property)) violations.push({ property: v.property, layer: 'static', message: v.message, replay: { property: v.property } });
    }
    return { ivrFile: spec.file, pass: false, checked, violations, stoppedAfterStatic: true, contexts, replaying };
  }

  let exhaustive: CheckReport['exhaustive'];
  const dynamic = DYNAMIC_PROPERTIES.filter(wanted);
  if (!replaying && dynamic.length > 0) {
    const result = exhaustiveCheck(spec, {
      areas,
      moments,
      changes: (a, b) => scan.changes(a, b),
      resolveCenter: (target, areaCode) => resolveCenter(input, { center: target.center, queue: '', priority: 0 }, areaCode),
      centers: input.centers.map((c) => c.id),
      ...(options.maxStates !== undefined ? { maxStates: options.maxStates } : {}),
    });
    checked.exhaustive = result.truncated ? dynamic.filter((p) => p !== 'every-path-ends' && p !== 'centers-reachable') : dynamic;
    for (const v of result.violations) {
      if (!wanted(v.property)) continue;
      const area = v.path ? areas[v.path.area]!.representative : undefined;
      violations.push({
        property: v.property,
        layer: 'exhaustive',
        message: v.message,
        ...(v.path && area !== undefined ? { trace: concretize(spec, scan, moments, area, v.path) } : {}),
        replay: { property: v.property },
      });
    }
    const { violations: _, centersReached, menusVisited: __, ...stats } = result;
    exhaustive = { ...stats, centersReached: [...centersReached.keys()] };
  }

  let modelBased: CheckReport['modelBased'];
  const perCall = PER_CALL_PROPERTIES.filter(wanted);
  if (perCall.length > 0) {
    const result = modelBasedCheck(spec, scan, {
      seed: options.seed,
      runs: options.runs ?? 1000,
      ...(options.path !== undefined ? { path: options.path } : {}),
      ...(options.replayPath !== undefined ? { replayPath: options.replayPath } : {}),
      areaCodes: areas.flatMap((a) => a.members),
      properties: new Set<DynamicProperty>(perCall),
    });
    checked['model-based'] = perCall;
    const f = result.failure;
    if (f) {
      violations.push({
        property: f.property,
        layer: 'model-based',
        message: f.message,
        trace: f.trace,
        replay: { seed: f.seed, path: f.path, ...(f.replayPath !== undefined ? { replayPath: f.replayPath } : {}) },
        shrinks: f.shrinks,
      });
    }
    const { failure: _, ...stats } = result;
    modelBased = stats;
  }
  return {
    ivrFile: spec.file,
    pass: violations.length === 0,
    checked,
    violations,
    stoppedAfterStatic: false,
    contexts,
    ...(exhaustive ? { exhaustive } : {}),
    ...(modelBased ? { modelBased } : {}),
    replaying,
  };
}
