// Random durations. A Distribution is resolved from the scenario (every parameter in
// seconds) and samples from a stream the caller passes in, so that which stream feeds
// which quantity is decided by the model, not by the distribution.

import type { RandomStream } from './random.js';

export type DistributionSpec =
  | { readonly kind: 'constant'; readonly value: number }
  | { readonly kind: 'exponential'; readonly mean: number }
  | { readonly kind: 'lognormal'; readonly mean: number; readonly sd: number }
  | { readonly kind: 'gamma'; readonly mean: number; readonly cv: number }
  | { readonly kind: 'uniform'; readonly min: number; readonly max: number }
  | { readonly kind: 'empirical'; readonly values: readonly number[]; readonly weights: readonly number[] };

export interface Distribution {
  readonly spec: DistributionSpec;
  readonly mean: number;
  /** Squared coefficient of variation (variance / mean^2); 0 for a constant. */
  readonly scv: number;
  sample(rng: RandomStream): number;
}

function normal(rng: RandomStream): number {
  // Marsaglia's polar method; the spare value is dropped so each call uses fresh draws
  // and a stream's consumption does not depend on earlier calls' parity.
  for (;;) {
    const u = 2 * rng.next() - 1;
    const v = 2 * rng.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * Math.log(s)) / s);
  }
}

/** Marsaglia and Tsang's method for shape k >= 1; boosted for k < 1. Scale 1. */
function gammaUnit(rng: RandomStream, k: number): number {
  if (k < 1) return gammaUnit(rng, k + 1) * Math.pow(rng.nextOpen(), 1 / k);
  const d = k - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextOpen();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

export function distribution(spec: DistributionSpec): Distribution {
  switch (spec.kind) {
    case 'constant': {
      const value = spec.value;
      return { spec, mean: value, scv: 0, sample: () => value };
    }
    case 'exponential': {
      const mean = spec.mean;
      return { spec, mean, scv: 1, sample: (rng) => -mean * Math.log(rng.nextOpen()) };
    }
    case 'lognormal': {
      const { mean, sd } = spec;
      if (sd === 0) return { spec, mean, scv: 0, sample: () => mean };
      const sigma2 = Math.log(1 + (sd * sd) / (mean * mean));
      const sigma = Math.sqrt(sigma2);
      const mu = Math.log(mean) - sigma2 / 2;
      return { spec, mean, scv: (sd * sd) / (mean * mean), sample: (rng) => Math.exp(mu + sigma * normal(rng)) };
    }
    case 'gamma': {
      const { mean, cv } = spec;
      if (cv === 0) return { spec, mean, scv: 0, sample: () => mean };
      const shape = 1 / (cv * cv);
      const scale = mean / shape;
      return { spec, mean, scv: cv * cv, sample: (rng) => scale * gammaUnit(rng, shape) };
    }
    case 'uniform': {
      const { min, max } = spec;
      const mean = (min + max) / 2;
      const variance = ((max - min) * (max - min)) / 12;
      return { spec, mean, scv: mean > 0 ? variance / (mean * mean) : 0, sample: (rng) => min + (max - min) * rng.next() };
    }
    case 'empirical': {
      const { values, weights } = spec;
      const total = weights.reduce((a, b) => a + b, 0);
      const cumulative: number[] = [];
      let acc = 0;
      for (const w of weights) cumulative.push((acc += w / total));
      cumulative[cumulative.length - 1] = 1;
      const mean = values.reduce((a, v, i) => a + (v * weights[i]!) / total, 0);
      const second = values.reduce((a, v, i) => a + (v * v * weights[i]!) / total, 0);
      const scv = mean > 0 ? (second - mean * mean) / (mean * mean) : 0;
      return {
        spec,
        mean,
        scv,
        sample: (rng) => {
          const u = rng.next();
          let lo = 0;
          let hi = cumulative.length - 1;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (u < cumulative[mid]!) hi = mid;
            else lo = mid + 1;
          }
          return values[lo]!;
        },
      };
    }
  }
}
