// Model-based runs with fast-check: random calls (a calling number, a day and a time of day,
// often just before agent hours close or open, and a sequence of keys pressed after random
// thinking times, silences and branch results) driven through the engine in simulated time
// against a real BusinessCalendar, checking after every event the invariants the exhaustive
// walk checks. A failure is shrunk, and replays from fast-check's seed, path and replayPath.

import fc from 'fast-check';
import type { IvrContext, IvrEvent, IvrSpec, Key } from '../types.js';
import { KEYS } from '../types.js';
import { initialState } from '../engine.js';
import { applyEvent, type CallPoint, describeEvent, EngineFailure, pointKey, takesKeys, timerEvent } from './call-point.js';
import type { CalendarScan } from './calendar-scan.js';
import { transitionFindings } from './invariants.js';
import type { DynamicProperty } from './properties.js';
import type { CallTrace, TraceStep } from './trace.js';

export interface ModelBasedOptions {
  readonly seed: number;
  readonly runs: number;
  /** fast-check's counterexamplePath, to replay one failure. */
  readonly path?: string;
  /** fast-check's replayPath of the command sequence (with `path`). */
  readonly replayPath?: string;
  readonly areaCodes: readonly string[];
  readonly properties: ReadonlySet<DynamicProperty>;
  /** Timer events a silent caller may meet before the call counts as never ending. */
  readonly maxEvents?: number;
  readonly maxCommands?: number;
}

export interface ModelBasedFailure {
  readonly property: DynamicProperty;
  readonly message: string;
  readonly trace: CallTrace;
  readonly seed: number;
  readonly path: string;
  readonly replayPath: string | undefined;
  readonly shrinks: number;
}

export interface ModelBasedResult {
  readonly runs: number;
  readonly seed: number;
  readonly failure: ModelBasedFailure | undefined;
  /** Longest call seen, in seconds from answer to leaving the IVR. */
  readonly longestCall: number;
}

/** The seed, path and replayPath given do not replay a counterexample of these menus. */
export class ReplayError extends Error {
  override readonly name = 'ReplayError';
}

/** A broken invariant during one random call; fast-check sees it as the property failing. */
export class CallFailure extends Error {
  override readonly name = 'CallFailure';
  constructor(
    readonly property: DynamicProperty,
    readonly detail: string,
    readonly trace: CallTrace,
  ) {
    super(`${property}: ${detail}`);
  }
}

/** One call in simulated time: the engine's point, the clock, and what happened so far. */
export class SimulatedCall {
  point: CallPoint;
  now = 0;
  private timerStart = 0;
  private readonly steps: TraceStep[] = [];

  constructor(
    private readonly spec: IvrSpec,
    private readonly scan: CalendarScan,
    private readonly areaCode: string,
    /** Calendar time when the IVR answers. */
    private readonly t0: number,
    private readonly properties: ReadonlySet<DynamicProperty>,
  ) {
    this.point = { state: initialState(spec), pending: null, fresh: true };
    this.fire({ kind: 'start' }, 0);
  }

  get ended(): boolean {
    return this.point.state.phase === 'ended';
  }

  /** Presses `key` `think` seconds from now, unless the running timer fires first. */
  press(key: Key, think: number): void {
    const p = this.point.pending;
    if (p === null) return;
    if (this.now + think < this.timerStart + p.duration) this.fire({ kind: 'key', key }, this.now + think);
    else this.wait(true);
  }

  /** The keys that mean something now: the options of the variant in force (and `*` in a submenu), or digits. */
  meaningfulKeys(): Key[] {
    const s = this.point.state;
    if (s.phase === 'digits') return ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
    const menu = this.spec.menus[s.menu];
    const options = Object.keys(menu?.variants[s.variant]?.options ?? {}) as Key[];
    return menu?.parent !== null && !options.includes('*') ? [...options, '*'] : options;
  }

  /** Lets the running timer fire (a prompt ends, a time-out, a branch finishes with `ok`). */
  wait(ok: boolean): void {
    const p = this.point.pending;
    if (p === null) return;
    this.fire(timerEvent(p, ok), Math.max(this.now, this.timerStart + p.duration));
  }

  /** The caller stops pressing keys: timers fire until the call leaves the IVR. */
  drain(maxEvents: number): void {
    // Timers alone are deterministic: a point met twice is a loop a silent caller never leaves.
    const seen = new Map<string, number>();
    for (let n = 0; !this.ended; n++) {
      const key = pointKey(this.point);
      const first = seen.get(key);
      if (first !== undefined) {
        const menus = [...new Set(this.steps.slice(first).map((s) => s.menu))].map((m) => `\`${m}\``).join(' → ');
        this.fail('every-path-ends', `a caller who presses nothing is never let go: ${menus} → … again and again`, undefined, first);
      }
      seen.set(key, this.steps.length);
      if (this.point.pending === null) {
        this.fail('every-path-ends', `in \`${this.point.state.menu}\` (${this.point.state.phase}) the IVR waits for nothing: the call never ends`);
      }
      if (n >= maxEvents) {
        const menus = [...new Set(this.steps.slice(-20).map((s) => s.menu))].map((m) => `\`${m}\``).join(', ');
        this.fail('every-path-ends', `a caller who stops pressing keys is still in the IVR after ${maxEvents} prompts and time-outs (${menus} over and over)`);
      }
      this.wait(true);
    }
  }

  trace(): CallTrace {
    return { areaCode: this.areaCode, start: this.t0, moment: this.scan.moment(this.t0), steps: [...this.steps] };
  }

  private fire(event: IvrEvent, at: number): void {
    this.now = at;
    const moment = this.scan.moment(this.t0 + at);
    const ctx: IvrContext = { ...moment, areaCode: this.areaCode };
    const before = this.point;
    let step;
    try {
      step = applyEvent(this.spec, before, event, ctx);
    } catch (e) {
      if (e instanceof EngineFailure) this.fail('no-engine-error', e.message, { at, event, effects: [], menu: before.state.menu, moment });
      throw e;
    }
    if (step === undefined) {
      // A key the engine does not take here is simply lost; a timer it refuses is its own bug.
      if (event.kind === 'key') return;
      this.fail('no-engine-error', `the engine refused ${describeEvent(event)} in \`${before.state.menu}\` (${before.state.phase}), though its own effects started that timer`, {
        at,
        event,
        effects: [],
        menu: before.state.menu,
        moment,
      });
    }
    this.steps.push({ at, event, effects: step.effects, menu: step.point.state.menu, moment });
    if (step.point.pending !== before.pending) this.timerStart = at;
    this.point = step.point;
    for (const f of transitionFindings(this.spec, before, event, ctx, step.point, step.effects)) {
      if (this.properties.has(f.property as DynamicProperty)) this.fail(f.property as DynamicProperty, f.message);
    }
  }

  private fail(property: DynamicProperty, message: string, extra?: TraceStep, loopFrom?: number): never {
    if (!this.properties.has(property)) throw new SkipCall();
    const trace = this.trace();
    const steps = extra ? [...trace.steps, extra] : trace.steps;
    throw new CallFailure(property, message, { ...trace, steps, ...(loopFrom !== undefined ? { loopFrom } : {}) });
  }
}

/** A call that broke only a property not being checked: stop it, it passes. */
class SkipCall extends Error {}

type Model = SimulatedCall;

class PressKey implements fc.Command<Model, Model> {
  constructor(
    readonly key: Key,
    readonly think: number,
  ) {}
  check(m: Readonly<Model>): boolean {
    return !m.ended && takesKeys(m.point);
  }
  run(_m: Model, call: Model): void {
    call.press(this.key, this.think);
  }
  toString(): string {
    return `key ${this.key} after ${this.think}s`;
  }
}

/** A caller who listens: picks one of the keys that mean something in the menu they hear. */
class ChooseOption implements fc.Command<Model, Model> {
  private pressed: Key | undefined;
  constructor(
    readonly choice: number,
    readonly think: number,
  ) {}
  check(m: Readonly<Model>): boolean {
    return !m.ended && takesKeys(m.point) && m.meaningfulKeys().length > 0;
  }
  run(_m: Model, call: Model): void {
    const keys = call.meaningfulKeys();
    this.pressed = keys[this.choice % keys.length]!;
    call.press(this.pressed, this.think);
  }
  toString(): string {
    return `option ${this.choice}${this.pressed !== undefined ? ` (key ${this.pressed})` : ''} after ${this.think}s`;
  }
}

class Wait implements fc.Command<Model, Model> {
  constructor(readonly ok: boolean) {}
  check(m: Readonly<Model>): boolean {
    return !m.ended && m.point.pending !== null;
  }
  run(_m: Model, call: Model): void {
    call.wait(this.ok);
  }
  toString(): string {
    return this.ok ? 'wait' : 'wait (branch fails)';
  }
}

export function modelBasedCheck(spec: IvrSpec, scan: CalendarScan, opts: ModelBasedOptions): ModelBasedResult {
  const maxEvents = opts.maxEvents ?? 1000;
  let longestCall = 0;
  const specialDays = specialDayIndexes(scan);
  const day = specialDays.length > 0 ? fc.oneof(fc.integer({ min: 0, max: 399 }), fc.constantFrom(...specialDays)) : fc.integer({ min: 0, max: 399 });
  const anyTime = fc.record({ day, timeOfDay: fc.integer({ min: 0, max: 86399 }) }).map(({ day, timeOfDay }) => scan.midnight(day) + timeOfDay);
  // Up to two minutes before agent hours close or open, so that the call crosses the change mid-menu.
  const changes = scan.intervals.slice(1).map((i) => i.from);
  const start =
    changes.length > 0
      ? fc.oneof(anyTime, fc.tuple(fc.constantFrom(...changes), fc.integer({ min: 1, max: 120 })).map(([at, before]) => at - before))
      : anyTime;
  const call = fc.record({ areaCode: fc.constantFrom(...opts.areaCodes), start });
  const commands = fc.commands(
    [
      fc.record({ key: fc.constantFrom(...KEYS), think: fc.integer({ min: 0, max: 12 }) }).map(({ key, think }) => new PressKey(key, think)),
      fc.record({ choice: fc.nat({ max: 11 }), think: fc.integer({ min: 0, max: 6 }) }).map(({ choice, think }) => new ChooseOption(choice, think)),
      fc.boolean().map((ok) => new Wait(ok)),
    ],
    { maxCommands: opts.maxCommands ?? 30, ...(opts.replayPath !== undefined ? { replayPath: opts.replayPath } : {}) },
  );
  const property = fc.property(call, commands, (c, cmds) => {
    const t0 = c.start;
    try {
      const sim = new SimulatedCall(spec, scan, c.areaCode, t0, opts.properties);
      fc.modelRun(() => ({ model: sim, real: sim }), cmds);
      if (opts.properties.has('every-path-ends')) sim.drain(maxEvents);
      longestCall = Math.max(longestCall, sim.now);
    } catch (e) {
      if (e instanceof SkipCall) return;
      throw e;
    }
  });
  let details;
  try {
    details = fc.check(property, {
      seed: opts.seed,
      numRuns: opts.runs,
      ...(opts.path !== undefined ? { path: opts.path, endOnFailure: true } : {}),
    });
  } catch (e) {
    // fast-check cannot follow a path that another seed, replayPath or menu produced.
    if (opts.path !== undefined && e instanceof Error && /replay/i.test(e.message)) {
      throw new ReplayError(
        `cannot replay --path ${opts.path} with --seed ${opts.seed}${opts.replayPath !== undefined ? ` and --replay-path ${opts.replayPath}` : ' (give the --replay-path printed with it)'}: ${e.message}; the menus, --set flags or --property may differ from the run that printed it`,
      );
    }
    throw e;
  }
  if (opts.path !== undefined && details.numRuns === 0) {
    throw new ReplayError(`cannot replay --path ${opts.path} with --seed ${opts.seed}: the path leads to no run`);
  }
  if (!details.failed) return { runs: details.numRuns, seed: details.seed, failure: undefined, longestCall };
  const err = details.errorInstance;
  if (!(err instanceof CallFailure)) {
    throw err instanceof Error ? err : new Error(`model-based check failed: ${String(err)}`);
  }
  const replayPath = /replayPath="([^"]*)"/.exec(String(details.counterexample?.[1] ?? ''))?.[1];
  return {
    runs: details.numRuns,
    seed: details.seed,
    longestCall,
    failure: {
      property: err.property,
      message: err.detail,
      trace: err.trace,
      seed: details.seed,
      path: details.counterexamplePath ?? '',
      replayPath,
      shrinks: opts.path !== undefined ? 0 : details.numShrinks,
    },
  };
}

/** Days (from the start) that are holidays or working weekends: rare, so sampled on purpose. */
function specialDayIndexes(scan: CalendarScan): number[] {
  const days = new Set<number>();
  for (const i of scan.intervals) {
    if (i.holiday) days.add(Math.floor((i.from - scan.midnight(0)) / 86400));
  }
  for (const w of scan.spec.workdays) {
    for (let d = 0; d < 400; d++) {
      if (scan.format(scan.midnight(d) + 43200).slice(4, 14) === w) {
        days.add(d);
        break;
      }
    }
  }
  return [...days].sort((a, b) => a - b).slice(0, 50);
}
