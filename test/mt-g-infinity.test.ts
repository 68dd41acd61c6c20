// The per-interval results against an exact formula. With more agents than callers ever
// need (no waiting), no wrap-up and an instant answer, the agents busy at time t are an
// M(t)/G/∞ queue: E[busy(t)] = ∫_0^t λ(u) P(S > t - u) du for talk time S and the
// time-of-day arrival rate λ. The interval's time average is that integrated over the
// interval; the simulated one (agentsBusy of the interval rows, per replication) must lie
// within 4 standard errors of it, and the standard error must be small enough that the
// check has power (a one-interval shift or a lost span would fail it). 20 replications:
// with 16 comparisons at 4 s.e. (t, 19 df), a correct model fails about 1 % of seeds.

import test from 'ava';
import type { DistributionSpec } from '../sim/kernel/distributions.js';
import { confidenceInterval } from '../sim/metrics/confidence.js';
import { intervalFigures } from '../sim/metrics/interval-metrics.js';
import { simulate } from '../sim/metrics/simulate.js';
import type { Scenario } from '../sim/scenario/types.js';
import { queueScenario } from './scenario-builder.js';

const HOUR = 3600;
const REPLICATIONS = 20;
const Z = 4;

/** Arrivals per second from each time of day (the run starts Monday 00:00 local, so time = time of day). */
const STEPS = [
  { at: 0, rate: 0.3 },
  { at: 2 * HOUR, rate: 1.2 },
  { at: 3.5 * HOUR, rate: 0.5 },
  { at: 5 * HOUR, rate: 1.5 },
  { at: 7 * HOUR, rate: 0.8 },
];
const DURATION = 8 * HOUR;
const AGENTS = 2000;

function scenario(talk: DistributionSpec, seed: number): Scenario {
  const base = queueScenario({ rate: 0, agents: AGENTS, talk, duration: DURATION, interval: HOUR, seed });
  return { ...base, arrivals: { process: { kind: 'profile', steps: STEPS, dayFactors: [1, 1, 1, 1, 1, 1, 1] }, scale: 1 } };
}

const lambda = (u: number): number => {
  let r = 0;
  for (const s of STEPS) if (u >= s.at) r = s.rate;
  return r;
};

/** Φ, the standard normal distribution function (Abramowitz & Stegun 7.1.26 for erf, |error| < 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-z * z);
  return x >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/** G(x) = ∫_0^x P(S > s) ds = E[min(S, x)], in closed form for the talk-time distribution. */
function integratedSurvival(talk: DistributionSpec): (x: number) => number {
  switch (talk.kind) {
    case 'exponential':
      return (x) => (x <= 0 ? 0 : talk.mean * (1 - Math.exp(-x / talk.mean)));
    case 'lognormal': {
      const sigma2 = Math.log(1 + (talk.sd * talk.sd) / (talk.mean * talk.mean));
      const sigma = Math.sqrt(sigma2);
      const mu = Math.log(talk.mean) - sigma2 / 2;
      return (x) => {
        if (x <= 0) return 0;
        const l = Math.log(x);
        return talk.mean * normalCdf((l - mu - sigma2) / sigma) + x * (1 - normalCdf((l - mu) / sigma));
      };
    }
    default:
      throw new Error(`no closed form for ${talk.kind}`);
  }
}

/**
 * (1/(b-a)) ∫_a^b E[busy(t)] dt. Swapping the integrals,
 * ∫_a^b ∫_0^t λ(u) F̄(t-u) du dt = ∫_0^b λ(u) [G(b-u) - G(max(a,u) - u)] du,
 * integrated over u by composite Simpson on each piece where λ is constant and max(a, u) is smooth.
 */
function exactBusy(talk: DistributionSpec, a: number, b: number): number {
  const G = integratedSurvival(talk);
  const f = (u: number): number => lambda(u) * (G(b - u) - G(Math.max(a, u) - u));
  const cuts = [...new Set([0, a, b, ...STEPS.map((s) => s.at).filter((x) => x > 0 && x < b)])].sort((x, y) => x - y);
  let total = 0;
  for (let k = 0; k + 1 < cuts.length; k++) {
    const lo = cuts[k]!;
    const hi = cuts[k + 1]!;
    const n = 2000; // even
    const h = (hi - lo) / n;
    // λ is constant on (lo, hi): evaluate just inside so a step at `lo` counts from lo on.
    const g = (u: number): number => f(Math.min(Math.max(u, lo + 1e-9), hi - 1e-9));
    let sum = g(lo) + g(hi);
    for (let i = 1; i < n; i++) sum += (i % 2 === 1 ? 4 : 2) * g(lo + i * h);
    total += (sum * h) / 3;
  }
  return total / (b - a);
}

async function check(t: import('ava').ExecutionContext, talk: DistributionSpec, seed: number): Promise<void> {
  const intervals = DURATION / HOUR;
  // Per replication, what the checks read of it: its figures per interval and its longest answer wait.
  const reps: { busy: number[]; staffed: number[]; maxWait: number }[] = [];
  await simulate(scenario(talk, seed), REPLICATIONS, (r) => {
    const series = r.collector.intervals.get('c')!;
    const figures = Array.from({ length: intervals }, (_, i) => intervalFigures(series, i, 'strict', 1));
    reps.push({ busy: figures.map((f) => f.agentsBusy), staffed: figures.map((f) => f.agentsStaffed), maxWait: r.collector.durations.get('speed_of_answer')!.max });
  });
  for (const r of reps) {
    t.is(r.maxWait, 0, 'no caller waited');
  }
  for (let i = 0; i < intervals; i++) {
    const values = reps.map((r) => r.busy[i]!);
    const staffed = reps.map((r) => r.staffed[i]!);
    const exact = exactBusy(talk, i * HOUR, (i + 1) * HOUR);
    const ci = confidenceInterval(values)!;
    const msg = `interval ${i} (${i}h-${i + 1}h): simulated ${ci.mean.toFixed(3)} ± ${ci.stderr.toFixed(3)} (s.e.), exact ${exact.toFixed(3)}`;
    t.log(msg);
    t.true(ci.stderr <= 0.015 * exact + 0.5, `${msg}: standard error too large for a meaningful check`);
    t.true(Math.abs(ci.mean - exact) <= Z * ci.stderr, `${msg}: more than ${Z} standard errors apart`);
    for (const s of staffed) t.true(Math.abs(s - AGENTS) < 1e-6, `interval ${i}: ${s} agents staffed, expected ${AGENTS}`);
  }
}

test('M(t)/G/∞: mean busy agents per interval, exponential talk (mean 10 min)', async (t) => {
  await check(t, { kind: 'exponential', mean: 600 }, 101);
});

test('M(t)/G/∞: mean busy agents per interval, lognormal talk (mean 8 min, sd 12 min)', async (t) => {
  await check(t, { kind: 'lognormal', mean: 480, sd: 720 }, 202);
});

test('the exact formula itself: a constant rate long after the start gives λ·E[S] (Little)', (t) => {
  // Between 2h and 3.5h the rate is 1.2/s; with exponential mean 60 s the system is at λE[S] = 72 within minutes.
  const v = exactBusy({ kind: 'exponential', mean: 60 }, 2.5 * HOUR, 3.5 * HOUR);
  t.true(Math.abs(v - 72) < 1e-6, `${v}`);
  // Lognormal G(∞) = E[S].
  t.true(Math.abs(integratedSurvival({ kind: 'lognormal', mean: 480, sd: 720 })(1e9) - 480) < 1e-3);
});
