// `callsim staff`: the fewest agents per center that meet every SLA. Erlang A on the load a
// pilot run measured gives the starting point (staffing-erlang.ts); simulation with
// replications confirms (staffing-trial.ts). A staffing passes when every SLA holds for the
// platform and for each center on its own calls.
//
// The search is coordinate-wise, on joint runs: every trial simulates all centers together
// (they interact through dispatch and shared trunks), and each center reads its own verdict
// from the same run and moves its own bracket: up (1, 2, 4, ... agents) while it fails,
// down (1, 2, 4, ...) from its first pass until it fails, then bisection. A joint search
// over the product of ten centers' counts would cost thousands of runs; the brackets need
// a handful, because one run answers for every center at once. The search ends when every
// bracket is closed (n passes, n − 1 fails) and the vector of those n has itself passed a
// joint run; a center that passes alone but fails in that final run steps up again.
// Nothing here reads the clock: the caller's `shouldStop()` says when the budget is spent.

import type { Center, Scenario } from '../scenario/types.js';
import { dayEstimate, erlangModels, intervalNeeds, pilotLoad, type DayEstimate, type IntervalNeed } from './staffing-erlang.js';
import { currentStaffing, minimumHeadCount, type Staffing } from './staffing-scale.js';
import { startReplicationWorkers, type ReplicationWorkers } from './replication-pool.js';
import { compiledSlas, runTrial, type ScopeVerdict, type SlaMargin, type Trial } from './staffing-trial.js';

export type { Staffing } from './staffing-scale.js';
export type { ScopeVerdict, SlaMargin, Trial } from './staffing-trial.js';

export interface StaffingOptions {
  /** Replications per trial (same seeds for every trial). */
  readonly replications: number;
  /** Worker threads for each trial's replications (default 1: in this thread). */
  readonly workers?: number;
  /**
   * Worker threads the caller started (and destroys), for the trials' replications when
   * `workers` > 1; by default the search starts `workers` − 1 threads and keeps them for
   * every trial.
   */
  readonly pool?: ReplicationWorkers;
  /** Interval of the pilot's per-interval load (default the scenario's `interval`). */
  readonly intervalLength?: number;
  /** Also report the Erlang A need per interval (`--interval`). */
  readonly perInterval?: boolean;
  /** Highest head count tried at any center (default: per center, see `headCountLimit`). */
  readonly maxAgents?: number;
  /** Trials at most (default 60). */
  readonly maxTrials?: number;
  /** Asked before every trial: true ends the search with the best staffing confirmed so far. */
  readonly shouldStop?: () => boolean;
  /** Cuts a trial short (the same moment shouldStop turns true); a cut trial is discarded. */
  readonly signal?: AbortSignal;
  /** Told before each trial starts and after it ends. */
  readonly onTrial?: (event: { readonly phase: 'start' | 'end'; readonly index: number; readonly staffing: Staffing; readonly trial?: Trial }) => void;
}

/**
 * How a center's answer stands:
 * `minimal`: n passes and n − 1 fails beyond its interval;
 * `minimal-within-noise`: n − 1 failed, but only by margins whose interval contains 0;
 * `at-minimum`: n is one agent per group, nothing lower to try;
 * `not-proven-minimal`: the search stopped before n − 1 was tried;
 * `cannot-meet`: no head count up to the limit met the SLAs;
 * `none-found`: the search stopped before any staffing passed.
 */
export type CenterVerdict = 'minimal' | 'minimal-within-noise' | 'at-minimum' | 'not-proven-minimal' | 'cannot-meet' | 'none-found';

export interface CenterStaffing {
  readonly id: string;
  readonly name: string;
  readonly current: number;
  /** One agent per group. */
  readonly minimum: number;
  /** Highest head count the search may try. */
  readonly limit: number;
  readonly erlang: {
    /** Erlang A's fewest head count; undefined when none up to the limit meets the modelled SLAs. */
    readonly agents?: number;
    readonly aht: number;
    readonly patience: number;
    readonly callsPerHour: number;
    readonly peakLoad: number;
    readonly serviceLevels: Readonly<Record<string, number>>;
    readonly abandonRate: number;
    readonly occupancy: number;
  };
  /** Head count in the best staffing found. */
  readonly needed?: number;
  readonly verdict: CenterVerdict;
  /** The SLA margins at `needed`, from the best trial. */
  readonly margins?: ScopeVerdict;
  /** Evidence that one agent fewer fails: the latest trial with needed − 1 here that failed here. */
  readonly below?: { readonly agents: number; readonly trial: number; readonly margins: ScopeVerdict };
  /** When no staffing passed: this center in the last trial run. */
  readonly latest?: { readonly agents: number; readonly trial: number; readonly margins: ScopeVerdict };
}

export type StopReason = 'converged' | 'budget' | 'trials' | 'limit' | 'stuck';

export interface StaffingResult {
  readonly scenario: { readonly name: string; readonly file: string; readonly seed: number; readonly duration: number; readonly warmup: number };
  readonly replications: number;
  readonly pilot: { readonly intervalLength: number; readonly events: number };
  /** SLAs (as written) that Erlang A predicts, and those only simulation judges. */
  readonly slas: { readonly erlang: readonly string[]; readonly simulationOnly: readonly string[] };
  readonly centers: readonly CenterStaffing[];
  /** The staffing with the fewest agents that passed a joint trial. */
  readonly best?: { readonly trial: number; readonly staffing: Staffing; readonly total: number; readonly platform: ScopeVerdict };
  /** A staffing meeting every SLA was found. */
  readonly pass: boolean;
  /** The search converged: every center's n − 1 was tried (not necessarily beyond noise: see verdicts). */
  readonly proven: boolean;
  readonly stopped: StopReason;
  /** Why no staffing was found, for people. */
  readonly message?: string;
  readonly trials: readonly { readonly index: number; readonly staffing: Staffing; readonly pass: boolean; readonly failing: readonly string[] }[];
  /** Erlang A per interval and center (with `perInterval`); simulation confirms per run only. */
  readonly intervals?: { readonly length: number; readonly centers: Readonly<Record<string, readonly IntervalNeed[]>> };
}

/** Default cap on a center's head count: twice the larger of its current count and Erlang's, and at least 10 more. */
export function headCountLimit(current: number, erlang: number | undefined, minimum: number): number {
  const base = Math.max(current, erlang ?? 0, minimum);
  return Math.max(2 * base, base + 10);
}

/** One center's bracket: the largest head count seen failing, the smallest seen passing. */
class Bracket {
  /** Largest head count known to fail; minimum − 1 (never tried) at first. */
  lo: number;
  /** Smallest head count known to pass. */
  hi: number | undefined;
  private upStep = 0;
  private downStep = 0;
  /** Failed at the limit: no head count this search may try meets the SLAs here. */
  exhausted = false;

  constructor(
    readonly minimum: number,
    readonly limit: number,
  ) {
    this.lo = minimum - 1;
  }

  passed(n: number): void {
    this.hi = n;
    if (this.lo >= n) this.lo = n - 1;
    this.upStep = 0;
  }

  failed(n: number): void {
    this.lo = n;
    if (this.hi !== undefined && this.hi <= n) this.hi = undefined;
    this.downStep = 0;
    if (n >= this.limit) this.exhausted = true;
  }

  get closed(): boolean {
    return this.hi !== undefined && this.hi - this.lo <= 1;
  }

  /** The head count to try next. */
  next(): number {
    if (this.hi === undefined) {
      this.upStep = this.upStep === 0 ? 1 : this.upStep * 2;
      return Math.min(this.lo + this.upStep, this.limit);
    }
    if (this.hi - this.lo <= 1) return this.hi;
    if (this.lo >= this.minimum) return Math.floor((this.lo + this.hi) / 2);
    this.downStep = this.downStep === 0 ? 1 : this.downStep * 2;
    return Math.max(this.hi - this.downStep, this.minimum);
  }
}

const key = (s: Staffing): string => JSON.stringify(Object.entries(s));
const total = (s: Staffing): number => Object.values(s).reduce((a, b) => a + b, 0);

/** The failing SLAs of a trial, as `scope: metric expr`. */
function failing(t: Trial): string[] {
  const out = t.platform.slas.filter((s) => !s.pass).map((s) => `platform: ${s.metric} ${s.expr}`);
  for (const [id, v] of Object.entries(t.centers)) out.push(...v.slas.filter((s) => !s.pass).map((s) => `${id}: ${s.metric} ${s.expr}`));
  return out;
}

/** A platform SLA failed though every center passed: blame the center with the least room on it. */
function blamePlatform(t: Trial, centers: readonly Center[]): string {
  let worst = centers[0]!.id;
  let least = Infinity;
  t.platform.slas.forEach((s, i) => {
    if (s.pass) return;
    for (const c of centers) {
      const m = t.centers[c.id]?.slas[i];
      if (m?.applicable && m.margin !== null && m.margin < least) {
        least = m.margin;
        worst = c.id;
      }
    }
  });
  return worst;
}

/** Whether every failing SLA of a scope failed only within its interval (the interval contains 0). */
function withinNoise(v: ScopeVerdict): boolean {
  const failed = v.slas.filter((s) => !s.pass);
  return failed.length > 0 && failed.every((s) => s.ci95 !== undefined && s.ci95.low <= 0 && s.ci95.high >= 0);
}

/** Finds the fewest agents per center that meet every SLA; see the file header for how. */
export async function findStaffing(scenario: Scenario, options: StaffingOptions): Promise<StaffingResult> {
  // One set of worker threads for the whole search, started now so that their start-up
  // overlaps the pilot run: a pool per trial would load the modules and warm each thread's
  // JIT up again for every trial.
  const workers = Math.min(options.workers ?? 1, options.replications);
  const own = workers > 1 && options.pool === undefined ? startReplicationWorkers(workers - 1) : undefined;
  try {
    return await search(scenario, options, options.pool ?? own);
  } finally {
    await own?.destroy();
  }
}

async function search(scenario: Scenario, options: StaffingOptions, pool: ReplicationWorkers | undefined): Promise<StaffingResult> {
  const slas = compiledSlas(scenario);
  const intervalLength = options.intervalLength ?? scenario.interval;
  const pilot = pilotLoad(scenario, intervalLength);
  const current = currentStaffing(scenario);

  const estimates = new Map<string, DayEstimate>();
  const brackets = new Map<string, Bracket>();
  const start: Record<string, number> = {};
  for (const c of scenario.centers) {
    const load = pilot.centers[c.id]!;
    const minimum = minimumHeadCount(c);
    const scan = Math.max(4 * Math.ceil(Math.max(...load.intervals.map((iv) => iv.arrivalRate * load.aht), 0)) + 50, current[c.id]! * 4);
    const est = dayEstimate(c, load, slas, scenario, options.maxAgents ?? scan);
    estimates.set(c.id, est);
    const limit = options.maxAgents ?? headCountLimit(current[c.id]!, est.agents, minimum);
    brackets.set(c.id, new Bracket(minimum, Math.max(limit, minimum)));
    start[c.id] = Math.min(Math.max(est.agents ?? current[c.id]!, minimum), Math.max(limit, minimum));
  }

  const maxTrials = options.maxTrials ?? 60;
  const trials: Trial[] = [];
  const seen = new Map<string, Trial>();
  let best: Trial | undefined;
  let stopped: StopReason | undefined;
  let staffing: Staffing = start;
  for (;;) {
    if (options.shouldStop?.() || options.signal?.aborted) {
      stopped = 'budget';
      break;
    }
    if (trials.length >= maxTrials) {
      stopped = 'trials';
      break;
    }
    const index = trials.length;
    options.onTrial?.({ phase: 'start', index, staffing });
    const trial = await runTrial(scenario, staffing, index, { replications: options.replications, ...(options.workers !== undefined && { workers: options.workers }), ...(pool && { pool }), ...(options.signal && { signal: options.signal }) });
    if (!trial) {
      stopped = 'budget';
      break;
    }
    options.onTrial?.({ phase: 'end', index, staffing, trial });
    trials.push(trial);
    seen.set(key(staffing), trial);
    if (trial.pass && (!best || total(staffing) <= total(best.staffing))) best = trial;

    for (const c of scenario.centers) {
      const b = brackets.get(c.id)!;
      if (trial.centers[c.id]!.pass) b.passed(staffing[c.id]!);
      else b.failed(staffing[c.id]!);
    }
    if (!trial.platform.pass && scenario.centers.every((c) => trial.centers[c.id]!.pass)) {
      const blamed = blamePlatform(trial, scenario.centers);
      brackets.get(blamed)!.failed(staffing[blamed]!);
    }
    if ([...brackets.values()].some((b) => b.exhausted)) {
      stopped = 'limit';
      break;
    }
    const next: Record<string, number> = {};
    for (const c of scenario.centers) next[c.id] = brackets.get(c.id)!.next();
    const closed = [...brackets.values()].every((b) => b.closed);
    if (closed && trial.pass && key(next) === key(staffing)) {
      stopped = 'converged';
      break;
    }
    if (seen.has(key(next))) {
      // The brackets point back at a staffing already judged: noise or interaction between
      // centers keeps them from agreeing. Stop with the best confirmed so far.
      stopped = closed && seen.get(key(next))!.pass ? 'converged' : 'stuck';
      if (stopped === 'converged') best = seen.get(key(next))!;
      break;
    }
    staffing = next;
  }

  const centers = scenario.centers.map((c) => centerResult(c, current[c.id]!, estimates.get(c.id)!, pilot.centers[c.id]!, brackets.get(c.id)!, best, trials));
  const result: StaffingResult = {
    scenario: { name: scenario.name, file: scenario.file, seed: scenario.seed, duration: scenario.duration, warmup: scenario.warmup },
    replications: options.replications,
    pilot: { intervalLength: pilot.intervalLength, events: pilot.events },
    slas: {
      erlang: slas.filter(erlangModels).map((s) => `${s.metricText} ${s.text}`),
      simulationOnly: slas.filter((s) => !erlangModels(s)).map((s) => `${s.metricText} ${s.text}`),
    },
    centers,
    ...(best && { best: { trial: best.index, staffing: best.staffing, total: total(best.staffing), platform: best.platform } }),
    pass: best !== undefined,
    proven: stopped === 'converged',
    stopped: stopped!,
    ...(best === undefined && { message: noneMessage(stopped!, brackets, trials) }),
    trials: trials.map((t) => ({ index: t.index, staffing: t.staffing, pass: t.pass, failing: failing(t) })),
    ...(options.perInterval && {
      intervals: {
        length: pilot.intervalLength,
        centers: Object.fromEntries(scenario.centers.map((c) => [c.id, intervalNeeds(pilot.centers[c.id]!, slas, scenario)])),
      },
    }),
  };
  return result;
}

function centerResult(
  c: Center,
  current: number,
  est: DayEstimate,
  load: { aht: number; patience: number },
  bracket: Bracket,
  best: Trial | undefined,
  trials: readonly Trial[],
): CenterStaffing {
  const erlang = {
    ...(est.agents !== undefined && { agents: est.agents }),
    aht: load.aht,
    patience: load.patience,
    callsPerHour: est.callsPerHour,
    peakLoad: est.peakLoad,
    serviceLevels: est.figures.serviceLevels,
    abandonRate: est.figures.abandonRate,
    occupancy: est.figures.occupancy,
  };
  const base = { id: c.id, name: c.name, current, minimum: bracket.minimum, limit: bracket.limit, erlang };
  if (!best) {
    const last = trials.at(-1);
    const latest = last && { agents: last.staffing[c.id]!, trial: last.index, margins: last.centers[c.id]! };
    return { ...base, verdict: bracket.exhausted ? 'cannot-meet' : 'none-found', ...(latest && { latest }) };
  }
  const needed = best.staffing[c.id]!;
  const margins = best.centers[c.id]!;
  if (needed <= bracket.minimum) return { ...base, needed, verdict: 'at-minimum', margins };
  const fewer = [...trials].reverse().find((t) => t.staffing[c.id] === needed - 1 && !t.centers[c.id]!.pass);
  if (!fewer) return { ...base, needed, verdict: 'not-proven-minimal', margins };
  const below = { agents: needed - 1, trial: fewer.index, margins: fewer.centers[c.id]! };
  return { ...base, needed, verdict: withinNoise(below.margins) ? 'minimal-within-noise' : 'minimal', margins, below };
}

function noneMessage(stopped: StopReason, brackets: ReadonlyMap<string, Bracket>, trials: readonly Trial[]): string {
  const last = trials.at(-1);
  if (stopped === 'limit' && last) {
    const parts: string[] = [];
    for (const [id, b] of brackets) {
      if (!b.exhausted) continue;
      const fails = last.centers[id]!.slas.filter((s) => !s.pass).map((s: SlaMargin) => `${s.metric} ${s.expr}${s.detail ? ` (${s.detail})` : ''}`);
      const platform = last.platform.slas.filter((s) => !s.pass).map((s) => `${s.metric} ${s.expr}${s.detail ? ` (${s.detail})` : ''}`);
      const what = fails.length > 0 ? fails : platform;
      parts.push(`no head count up to ${b.limit} at ${id} meets ${what.join(', ') || 'every SLA'}`);
    }
    return `${parts.join('; ')}: staffing alone cannot meet ${parts.length > 1 ? 'these SLAs' : 'this'} (raise --max-agents to look further)`;
  }
  if (stopped === 'stuck') return 'the search went round in circles without a staffing that passes (more replications make verdicts steadier)';
  return `${stopped === 'trials' ? 'the trial limit' : 'the time budget'} ran out before any staffing met every SLA`;
}
