// Closed-form models of one agent pool fed by Poisson calls with exponential handle times:
// Erlang B (M/M/c/c, a call finding every line busy is lost), Erlang C (M/M/c, callers wait
// forever) and Erlang A (M/M/c+M, callers hang up after an exponential patience).
// Everything is computed in log space so that 10,000+ agents and overload stay finite.

/** A parameter outside the model's domain (negative rate, fractional agents, ...). */
export class ErlangInputError extends RangeError {
  override readonly name = 'ErlangInputError';
  constructor(
    readonly field: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${field}: ${String(value)} is not allowed; expected ${expected}`);
  }
}

/** A staffing goal that no number of servers up to the search limit meets. */
export class ErlangTargetError extends Error {
  override readonly name = 'ErlangTargetError';
}

/** Arrivals and handling shared by Erlang C and Erlang A. Times in seconds, rates per second. */
export interface Traffic {
  /** Calls per second (Poisson). */
  readonly arrivalRate: number;
  /** Mean handle time in seconds (exponential). */
  readonly aht: number;
}

export interface ErlangCInput extends Traffic {
  /** Agents (a whole number >= 1). */
  readonly agents: number;
  /** Service-level threshold T in seconds. */
  readonly target: number;
}

export interface ErlangCMetrics {
  /** Offered load in Erlangs (arrival rate x AHT). */
  readonly load: number;
  readonly agents: number;
  /** False when load >= agents: the queue grows without bound. */
  readonly stable: boolean;
  /** P(an arriving call waits), the Erlang C formula. 1 when unstable. */
  readonly waitProbability: number;
  /** 1 − waitProbability, computed without cancellation when waiting is nearly certain. */
  readonly immediateAnswerProbability: number;
  /** P(wait <= target); every call is answered, so all service-level definitions agree. */
  readonly serviceLevel: number;
  /** Mean wait over all calls (those answered at once count 0), in seconds; Infinity when unstable. */
  readonly asa: number;
  /** Mean number of callers waiting; Infinity when unstable. */
  readonly meanQueueLength: number;
  /** Busy agents / agents (at most 1). */
  readonly occupancy: number;
}

export interface ErlangAInput extends ErlangCInput {
  /** Mean patience in seconds (exponential); Infinity gives Erlang C. */
  readonly patience: number;
}

/**
 * Service level at threshold T, by definition. V is the virtual wait (the wait of an
 * infinitely patient caller), τ the caller's patience; a caller answered at once has V = 0.
 */
export interface ErlangAServiceLevels {
  /** P(answered and V <= T): answered within T / all calls. The published Erlang A figure. */
  readonly strict: number;
  /** P(V <= T | answered): answered within T / answered calls. */
  readonly answered: number;
  /** P(min(V, τ) <= T): the queue wait ends (answer or abandon) within T / all calls. */
  readonly wait: number;
  /** P(V <= T): what the wait would be without abandonment, under the Erlang A load. */
  readonly virtual: number;
  /** Answered within T / (all calls - calls abandoned within T). */
  readonly shortAbandonsExcluded: number;
}

export type ErlangAServiceLevelDefinition = keyof ErlangAServiceLevels;

export const SERVICE_LEVEL_DEFINITIONS: readonly ErlangAServiceLevelDefinition[] = [
  'strict',
  'answered',
  'wait',
  'virtual',
  'shortAbandonsExcluded',
];

export interface ErlangAMetrics {
  readonly load: number;
  readonly agents: number;
  /** P(an arriving call finds every agent busy) = P(it waits at all). */
  readonly waitProbability: number;
  /** 1 − waitProbability, computed without cancellation when waiting is nearly certain. */
  readonly immediateAnswerProbability: number;
  /** P(a call abandons). */
  readonly abandonProbability: number;
  /** The strict service level (answered within T / all calls); see `serviceLevels`. */
  readonly serviceLevel: number;
  readonly serviceLevels: ErlangAServiceLevels;
  /** Mean wait of answered calls (those answered at once count 0), in seconds. */
  readonly asa: number;
  /** Mean of min(V, τ) over all calls: the time spent queueing, abandons included, in seconds. */
  readonly meanQueueWait: number;
  /** Mean virtual wait E[V] over all calls, in seconds. */
  readonly meanVirtualWait: number;
  /** Mean number of callers waiting. */
  readonly meanQueueLength: number;
  /** Busy agents / agents. */
  readonly occupancy: number;
}

/** What a staffing search must achieve; every goal given must hold. */
export interface StaffingGoal {
  /** Lowest acceptable service level (0..1) at the input's `target`. */
  readonly serviceLevel?: number;
  /** Which Erlang A service level `serviceLevel` is about (default `strict`). */
  readonly serviceLevelDefinition?: ErlangAServiceLevelDefinition;
  /** Highest acceptable ASA in seconds. */
  readonly maxAsa?: number;
  /** Highest acceptable P(wait). */
  readonly maxWaitProbability?: number;
  /** Highest acceptable P(abandon): Erlang A only. */
  readonly maxAbandonProbability?: number;
}

// ---------------------------------------------------------------------------------------
// Erlang B and C

/** Offered load in Erlangs. */
export function offeredLoad(traffic: Traffic): number {
  checkTraffic(traffic);
  return traffic.arrivalRate * traffic.aht;
}

/**
 * ln B(load, lines). Runs the textbook recursion on 1/B, which damps rounding errors, in
 * log space so that B below 1e-308 still has a logarithm. O(lines).
 */
export function logErlangB(load: number, lines: number): number {
  checkLoad(load);
  checkWhole('lines', lines, 0);
  if (lines === 0) return 0;
  if (load === 0) return -Infinity;
  const logLoad = Math.log(load);
  let logInv = 0; // ln(1/B(0))
  for (let n = 1; n <= lines; n++) {
    // 1/B(n) = 1 + (n/load) / B(n-1)
    logInv = logOnePlusExp(Math.log(n) - logLoad + logInv);
  }
  return -logInv;
}

/** Erlang B: the probability a call is lost when `load` Erlangs are offered to `lines` lines. */
export function erlangB(load: number, lines: number): number {
  return Math.exp(logErlangB(load, lines));
}

/** Erlang C: P(wait) in M/M/c with `load` Erlangs offered to `agents` agents; 1 when load >= agents. */
export function erlangC(load: number, agents: number): number {
  checkLoad(load);
  checkWhole('agents', agents, 1);
  if (load >= agents) return 1;
  const rho = load / agents;
  const logB = logErlangB(load, agents);
  // C = B / (1 - rho (1 - B)), written so that 1 - rho is never formed by cancellation twice.
  return Math.min(1, Math.exp(logB - Math.log(1 - rho + rho * Math.exp(logB))));
}

/** Erlang C queue measures for one staffing level. */
export function erlangCMetrics(input: ErlangCInput): ErlangCMetrics {
  const load = offeredLoad(input);
  checkWhole('agents', input.agents, 1);
  checkTarget(input.target);
  const c = input.agents;
  if (load >= c) {
    return {
      load,
      agents: c,
      stable: false,
      waitProbability: 1,
      immediateAnswerProbability: 0,
      serviceLevel: 0,
      asa: Infinity,
      meanQueueLength: Infinity,
      occupancy: 1,
    };
  }
  const wait = erlangC(load, c);
  const rho = load / c;
  const blocking = erlangB(load, c);
  // Given a wait, the wait is exponential with rate (c - load) / AHT.
  const drain = (c - load) / input.aht;
  return {
    load,
    agents: c,
    stable: true,
    waitProbability: wait,
    immediateAnswerProbability: ((1 - rho) * (1 - blocking)) / (1 - rho + rho * blocking),
    serviceLevel: 1 - wait * Math.exp(-drain * input.target),
    asa: load === 0 ? 0 : wait / drain,
    meanQueueLength: (wait * load) / (c - load),
    occupancy: load / c,
  };
}

// ---------------------------------------------------------------------------------------
// Erlang A
//
// With x = cμ/θ and y = λ/θ, the states with all agents busy and k callers waiting have
// weights π_c · t_k(x, y), t_k(a, z) = z^k / ((a+1)…(a+k)), whose sum is the incomplete-gamma
// function A(x, y) = x e^y y^-x γ(x, y) of Garnett, Mandelbaum & Reiman (2002). A caller
// finding k ahead waits (virtually) through the rates x+k, …, x+1, x (in units of 1/θ); given
// V > T the number still ahead is again distributed as t_k(x, y e^{-θT}). So every measure is
// a ratio of such sums, which `gammaSeries` computes around their peak in log space.

/**
 * Erlang A (M/M/c+M) measures for one staffing level. Patience Infinity is Erlang C. Costs
 * O(c + √((λ + cμ)·patience)) at worst (near or above capacity with very patient callers).
 */
export function erlangA(input: ErlangAInput): ErlangAMetrics {
  const load = offeredLoad(input);
  const c = input.agents;
  checkWhole('agents', c, 1);
  checkTarget(input.target);
  if (!(input.patience > 0)) throw new ErlangInputError('patience', input.patience, 'a mean patience > 0 seconds');
  if (input.patience === Infinity) return erlangAWithoutAbandonment(erlangCMetrics(input));
  if (load === 0) {
    const all = { strict: 1, answered: 1, wait: 1, virtual: 1, shortAbandonsExcluded: 1 };
    return {
      load,
      agents: c,
      waitProbability: 0,
      immediateAnswerProbability: 1,
      abandonProbability: 0,
      serviceLevel: 1,
      serviceLevels: all,
      asa: 0,
      meanQueueWait: 0,
      meanVirtualWait: 0,
      meanQueueLength: 0,
      occupancy: 0,
    };
  }
  const theta = 1 / input.patience;
  const x = (c / input.aht) / theta;
  const y = input.arrivalRate / theta;
  if (!Number.isFinite(x) || !Number.isFinite(y)) {
    throw new ErlangInputError('patience', input.patience, 'a patience the model can resolve (use Infinity for none)');
  }
  const s = theta * input.target;

  const logB = logErlangB(load, c);
  const all = gammaSeries(x, y);
  // P(wait) = B S / (1 - B + B S), as a logistic of u = ln((1 - B) / (B S)).
  const u = logOneMinusExp(logB) - logB - all.logSum;
  const pWait = 1 / (1 + Math.exp(u));
  const pNoWait = 1 / (1 + Math.exp(-u));

  const pAbandon = pWait * all.meanAbandon;
  const pAnswer = pNoWait + pWait * all.meanServe;

  // Given a wait, θV has density x e^{-xv + y(1 - e^-v)} / A(x, y), so P(V > T | wait) is the
  // ratio γ(x, y e^-θT) / γ(x, y) of GMR (2002), here in terms of the two series.
  const late = gammaSeries(x, y * Math.exp(-s));
  const logLate = Math.min(0, -x * s - y * Math.expm1(-s) + late.logSum - all.logSum);
  // Complements via expm1, so that small service levels keep more than absolute precision.
  const virtualGivenWait = -Math.expm1(logLate);
  const endedGivenWait = -Math.expm1(logLate - s); // answered or abandoned by T
  // Answered after T = patient up to T, then answered from the state still ahead at T.
  const answeredInTimeGivenWait = Math.max(0, all.meanServe - late.meanServe + late.meanServe * endedGivenWait);

  const strict = clamp01(pNoWait + pWait * answeredInTimeGivenWait);
  const wait = clamp01(pNoWait + pWait * endedGivenWait);
  const virtual = clamp01(pNoWait + pWait * virtualGivenWait);
  const abandonedWithinT = Math.max(0, wait - strict);
  const serviceLevels: ErlangAServiceLevels = {
    strict,
    answered: clamp01(strict / pAnswer),
    wait,
    virtual,
    shortAbandonsExcluded: clamp01(strict / (1 - abandonedWithinT)),
  };
  return {
    load,
    agents: c,
    waitProbability: pWait,
    immediateAnswerProbability: pNoWait,
    abandonProbability: pAbandon,
    serviceLevel: strict,
    serviceLevels,
    asa: (pWait * all.meanServedWait) / theta / pAnswer,
    // Little: E[queue] = λ E[min(V, τ)], and abandons = θ E[queue].
    meanQueueWait: pAbandon / theta,
    meanVirtualWait: (pWait * (1 / x + all.meanH)) / theta,
    meanQueueLength: y * pAbandon,
    occupancy: Math.min(1, (load * (1 - pAbandon)) / c),
  };
}

function erlangAWithoutAbandonment(m: ErlangCMetrics): ErlangAMetrics {
  const sl = m.serviceLevel;
  return {
    load: m.load,
    agents: m.agents,
    waitProbability: m.waitProbability,
    immediateAnswerProbability: m.immediateAnswerProbability,
    abandonProbability: 0,
    serviceLevel: sl,
    serviceLevels: { strict: sl, answered: sl, wait: sl, virtual: sl, shortAbandonsExcluded: sl },
    asa: m.asa,
    meanQueueWait: m.asa,
    meanVirtualWait: m.asa,
    meanQueueLength: m.meanQueueLength,
    occupancy: m.occupancy,
  };
}

/** A sum Σ_k t_k(a, z) and means under the weights t_k of what a caller with k ahead faces. */
interface SeriesSums {
  /** ln Σ_k t_k(a, z). */
  readonly logSum: number;
  /** Mean of H_k = Σ_{j=1..k} 1/(a+j); E[θV | k ahead] = 1/a + H_k. */
  readonly meanH: number;
  /** Mean of (k+1)/(a+k+1), P(abandon | k ahead). */
  readonly meanAbandon: number;
  /** Mean of a/(a+k+1), P(answered | k ahead). */
  readonly meanServe: number;
  /** Mean of a/(a+k+1) · H_{k+1}, E[θV; answered | k ahead]. */
  readonly meanServedWait: number;
}

/** Terms below this fraction of the sum are dropped. */
const NEGLIGIBLE = 1e-18;
/** Up to this index the peak term is accumulated directly; beyond, Stirling's series jumps there. */
const DIRECT_PEAK = 1000;

/**
 * Σ_k t_k(a, z) with t_k = z^k / ((a+1)…(a+k)), and weighted means, summed outwards from the
 * largest term (k* = ⌊z − a⌋) until the rest is negligible: O(1 / ln(a/z)) terms when they
 * fall geometrically from the start, O(√max(a, z)) at most.
 */
function gammaSeries(a: number, z: number): SeriesSums {
  const peak = Math.max(0, Math.floor(z - a));
  let logPeak: number;
  let hPeak: number;
  if (peak <= DIRECT_PEAK) {
    logPeak = 0;
    hPeak = 0;
    for (let j = 1; j <= peak; j++) {
      logPeak += Math.log(z / (a + j));
      hPeak += 1 / (a + j);
    }
  } else {
    logPeak = logSeriesTerm(a, z, peak);
    hPeak = digammaDifference(a + 1, a + 1 + peak);
  }

  let sum = 1;
  let sumH = hPeak;
  let sumAb = (peak + 1) / (a + peak + 1);
  let sumServe = a / (a + peak + 1);
  let sumServedWait = sumServe * (hPeak + 1 / (a + peak + 1));

  // Upwards: t_{k+1} = t_k · z / (a + k + 1), ratios below 1 and falling.
  let rel = 1;
  let h = hPeak;
  for (let k = peak + 1; ; k++) {
    const ratio = z / (a + k);
    rel *= ratio;
    h += 1 / (a + k);
    const serve = a / (a + k + 1);
    sum += rel;
    sumH += rel * h;
    sumAb += (rel * (k + 1)) / (a + k + 1);
    sumServe += rel * serve;
    sumServedWait += rel * serve * (h + 1 / (a + k + 1));
    const next = z / (a + k + 1);
    if (rel === 0 || (rel * next) / (1 - next) < NEGLIGIBLE * sum) break;
  }
  // Downwards: t_{k-1} = t_k · (a + k) / z.
  rel = 1;
  h = hPeak;
  for (let k = peak - 1; k >= 0; k--) {
    rel *= (a + k + 1) / z;
    h -= 1 / (a + k + 1);
    const serve = a / (a + k + 1);
    sum += rel;
    sumH += rel * h;
    sumAb += (rel * (k + 1)) / (a + k + 1);
    sumServe += rel * serve;
    sumServedWait += rel * serve * (h + 1 / (a + k + 1));
    const next = (a + k) / z;
    if (rel === 0 || (next < 1 && (rel * next) / (1 - next) < NEGLIGIBLE * sum)) break;
  }
  return {
    logSum: logPeak + Math.log(sum),
    meanH: sumH / sum,
    meanAbandon: sumAb / sum,
    meanServe: sumServe / sum,
    meanServedWait: sumServedWait / sum,
  };
}

/**
 * ln t_k(a, z) = k ln z − [lnΓ(a+k+1) − lnΓ(a+1)], with the Gamma ratio from Stirling's series
 * arranged so that no two large numbers are subtracted.
 */
function logSeriesTerm(a: number, z: number, k: number): number {
  const w = a + 1;
  const r = k / w;
  const end = w + k;
  return (
    k * Math.log1p((z - end) / end) + w * xMinusLog1p(r) + 0.5 * Math.log1p(r) - stirlingRest(end) + stirlingRest(w)
  );
}

/** r − ln(1 + r) for r >= 0, without cancellation for small r. */
function xMinusLog1p(r: number): number {
  if (r > 0.1) return r - Math.log1p(r);
  // Σ_{n>=2} (−r)^n / n
  let term = r * r;
  let sum = 0;
  for (let n = 2; n < 60; n++) {
    const add = term / n;
    sum += n % 2 === 0 ? add : -add;
    if (add < 1e-17 * sum) break;
    term *= r;
  }
  return sum;
}

/** lnΓ(w) − [(w − ½) ln w − w + ½ ln 2π], for w >= 1. */
function stirlingRest(w: number): number {
  let shift = 0;
  let v = w;
  while (v < 10) {
    // ε(v) = ε(v+1) + (v + ½) ln(1 + 1/v) − 1
    shift += (v + 0.5) * Math.log1p(1 / v) - 1;
    v += 1;
  }
  const v2 = 1 / (v * v);
  const series =
    (1 / v) *
    (1 / 12 -
      v2 * (1 / 360 - v2 * (1 / 1260 - v2 * (1 / 1680 - v2 * (1 / 1188 - v2 * (691 / 360360 - v2 / 156))))));
  return shift + series;
}

/** ψ(q) − ψ(p) for p, q > 0. */
function digammaDifference(p: number, q: number): number {
  // ψ(v) = ψ(v + 1) − 1/v moves both arguments to where the asymptotic series is exact enough.
  let shift = 0;
  for (; p < 10; p += 1) shift += 1 / p;
  for (; q < 10; q += 1) shift -= 1 / q;
  return shift + Math.log(q / p) + digammaRest(q) - digammaRest(p);
}

/** ψ(v) − ln v for v >= 10 (asymptotic series). */
function digammaRest(v: number): number {
  const v2 = 1 / (v * v);
  return -1 / (2 * v) - v2 * (1 / 12 - v2 * (1 / 120 - v2 * (1 / 252 - v2 * (1 / 240 - v2 / 132))));
}

// ---------------------------------------------------------------------------------------
// Staffing: the inverse questions

/**
 * The fewest servers n >= `from` for which `meets(n)` holds, assuming it keeps holding once it
 * does (true of every Erlang measure here). Exponential search, then bisection.
 */
/** The most servers (agents, lines) the formulas are asked about: each takes about a second there. */
export const MAX_SERVERS = 10_000_000;

export function fewestServers(meets: (servers: number) => boolean, from = 1, limit = MAX_SERVERS): number {
  if (meets(from)) return from;
  let lo = from; // fails
  let step = 1;
  let hi = from + step;
  while (!meets(hi)) {
    lo = hi;
    step *= 2;
    hi = from + step;
    if (hi > limit) throw new ErlangTargetError(`no number of servers up to ${limit} meets the goal`);
  }
  while (hi - lo > 1) {
    const mid = lo + Math.floor((hi - lo) / 2);
    if (meets(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The fewest lines keeping Erlang B blocking at or below `maxBlocking`. */
export function linesForBlocking(load: number, maxBlocking: number): number {
  checkLoad(load);
  checkProbability('maxBlocking', maxBlocking, true);
  if (load === 0) return 0;
  // B falls with each line, so walking the recursion once is enough.
  const logTarget = Math.log(maxBlocking);
  const logLoad = Math.log(load);
  let logInv = 0;
  for (let n = 1; ; n++) {
    logInv = logOnePlusExp(Math.log(n) - logLoad + logInv);
    if (-logInv <= logTarget) return n;
  }
}

/** The fewest agents meeting every goal under Erlang C. */
export function agentsForErlangC(input: Traffic & { readonly target: number }, goal: StaffingGoal): number {
  const load = offeredLoad(input);
  checkTarget(input.target);
  checkGoal(goal, false);
  const from = Math.max(1, Math.floor(load) + 1);
  return fewestServers((agents) => meetsGoal(erlangCMetrics({ ...input, agents }), goal), from);
}

/** The fewest agents meeting every goal under Erlang A. */
export function agentsForErlangA(
  input: Traffic & { readonly target: number; readonly patience: number },
  goal: StaffingGoal,
): number {
  offeredLoad(input);
  checkTarget(input.target);
  checkGoal(goal, true);
  const definition = goal.serviceLevelDefinition ?? 'strict';
  return fewestServers((agents) => {
    const m = erlangA({ ...input, agents });
    return meetsGoal({ ...m, serviceLevel: m.serviceLevels[definition] }, goal);
  }, 1);
}

function meetsGoal(
  m: { serviceLevel: number; asa: number; waitProbability: number; abandonProbability?: number },
  goal: StaffingGoal,
): boolean {
  return (
    (goal.serviceLevel === undefined || m.serviceLevel >= goal.serviceLevel) &&
    (goal.maxAsa === undefined || m.asa <= goal.maxAsa) &&
    (goal.maxWaitProbability === undefined || m.waitProbability <= goal.maxWaitProbability) &&
    (goal.maxAbandonProbability === undefined || (m.abandonProbability ?? 0) <= goal.maxAbandonProbability)
  );
}

// ---------------------------------------------------------------------------------------
// Checks and log-space helpers

function checkGoal(goal: StaffingGoal, withAbandonment: boolean): void {
  const given = [goal.serviceLevel, goal.maxAsa, goal.maxWaitProbability, goal.maxAbandonProbability];
  if (given.every((g) => g === undefined)) {
    throw new ErlangInputError('goal', 'nothing', 'at least one of serviceLevel, maxAsa, maxWaitProbability, maxAbandonProbability');
  }
  // Targets at the edge (100 % service, 0 s ASA) are met by no finite staff.
  if (goal.serviceLevel !== undefined) checkProbability('serviceLevel', 1 - goal.serviceLevel, true);
  if (goal.maxWaitProbability !== undefined) checkProbability('maxWaitProbability', goal.maxWaitProbability, true);
  if (goal.maxAsa !== undefined && !(goal.maxAsa > 0)) {
    throw new ErlangInputError('maxAsa', goal.maxAsa, 'a number of seconds > 0');
  }
  if (goal.maxAbandonProbability !== undefined) {
    if (!withAbandonment) {
      throw new ErlangInputError('maxAbandonProbability', goal.maxAbandonProbability, 'no abandonment goal under Erlang C (use Erlang A)');
    }
    checkProbability('maxAbandonProbability', goal.maxAbandonProbability, true);
  }
  if (goal.serviceLevelDefinition !== undefined && !SERVICE_LEVEL_DEFINITIONS.includes(goal.serviceLevelDefinition)) {
    throw new ErlangInputError('serviceLevelDefinition', goal.serviceLevelDefinition, SERVICE_LEVEL_DEFINITIONS.join(', '));
  }
}

function checkTraffic(t: Traffic): void {
  if (!(t.arrivalRate >= 0 && Number.isFinite(t.arrivalRate))) {
    throw new ErlangInputError('arrivalRate', t.arrivalRate, 'a finite rate >= 0 per second');
  }
  if (!(t.aht > 0 && Number.isFinite(t.aht))) throw new ErlangInputError('aht', t.aht, 'a finite handle time > 0 seconds');
}

function checkLoad(load: number): void {
  if (!(load >= 0 && Number.isFinite(load))) throw new ErlangInputError('load', load, 'a finite number of Erlangs >= 0');
}

function checkWhole(field: string, n: number, min: number): void {
  if (!(Number.isSafeInteger(n) && n >= min)) throw new ErlangInputError(field, n, `a whole number >= ${min}`);
}

function checkTarget(target: number): void {
  if (!(target >= 0 && Number.isFinite(target))) throw new ErlangInputError('target', target, 'a finite time >= 0 seconds');
}

/** A probability strictly between 0 and 1 (`open`), which a finite staff can reach. */
function checkProbability(field: string, p: number, open: boolean): void {
  const ok = open ? p > 0 && p < 1 : p >= 0 && p <= 1;
  if (!ok) throw new ErlangInputError(field, p, open ? 'a fraction strictly between 0 and 1' : 'a fraction in [0, 1]');
}

/** ln(1 + e^u) without overflow. */
function logOnePlusExp(u: number): number {
  return u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u));
}

/** ln(1 − e^l) for l <= 0, accurate at both ends. */
function logOneMinusExp(l: number): number {
  return l > -Math.LN2 ? Math.log(-Math.expm1(l)) : Math.log1p(-Math.exp(l));
}

function clamp01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}
