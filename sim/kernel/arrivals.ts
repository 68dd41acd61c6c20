// When calls arrive. A constant-rate Poisson process, or a non-stationary Poisson
// process whose rate follows a time-of-day profile (a step function that repeats every
// day) times a day-of-week factor. Arrival times are drawn exactly, by inverting the
// cumulative rate: a unit-rate exponential gap is spent across the profile's steps, so no
// thinning and no discretisation error.

import type { RandomStream } from './random.js';

const DAY = 86400;
const WEEK = 7 * DAY;

export type ArrivalSpec =
  | { readonly kind: 'poisson'; readonly rate: number }
  | {
      readonly kind: 'profile';
      /** Steps within a day: from `at` (seconds after local midnight) the rate is `rate` per second. Sorted, first at 0. */
      readonly steps: readonly { readonly at: number; readonly rate: number }[];
      /** Factors for Monday..Sunday (index 0 = Monday). */
      readonly dayFactors: readonly number[];
    };

/** Where the run's time 0 falls in the local week: seconds since Monday 00:00 local. */
export type WeekOffset = number;

export interface ArrivalProcess {
  /** The first arrival strictly after `t`, or Infinity if none ever comes. */
  next(t: number, rng: RandomStream): number;
  /** The rate per second at time t. */
  rateAt(t: number): number;
  /** Expected arrivals in [a, b). */
  expected(a: number, b: number): number;
}

export function arrivalProcess(spec: ArrivalSpec, scale: number, weekOffset: WeekOffset): ArrivalProcess {
  if (spec.kind === 'poisson') {
    const rate = spec.rate * scale;
    return {
      next: (t, rng) => (rate > 0 ? t - Math.log(rng.nextOpen()) / rate : Infinity),
      rateAt: () => rate,
      expected: (a, b) => rate * (b - a),
    };
  }
  return new ProfileProcess(spec.steps, spec.dayFactors, scale, weekOffset);
}

class ProfileProcess implements ArrivalProcess {
  /** Step boundaries over one week, in seconds since Monday 00:00, with their rates. */
  private readonly starts: number[] = [];
  private readonly rates: number[] = [];
  private readonly weekMass: number;

  constructor(
    steps: readonly { at: number; rate: number }[],
    dayFactors: readonly number[],
    scale: number,
    private readonly weekOffset: number,
  ) {
    for (let d = 0; d < 7; d++) {
      for (const s of steps) {
        this.starts.push(d * DAY + s.at);
        this.rates.push(s.rate * (dayFactors[d] ?? 1) * scale);
      }
    }
    let mass = 0;
    for (let i = 0; i < this.starts.length; i++) mass += this.rates[i]! * (this.end(i) - this.starts[i]!);
    this.weekMass = mass;
  }

  private end(i: number): number {
    return i + 1 < this.starts.length ? this.starts[i + 1]! : WEEK;
  }

  /** Index of the step containing week-time w (0 <= w < WEEK). */
  private stepAt(w: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= w) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  rateAt(t: number): number {
    const w = (((t + this.weekOffset) % WEEK) + WEEK) % WEEK;
    return this.rates[this.stepAt(w)]!;
  }

  next(t: number, rng: RandomStream): number {
    if (this.weekMass <= 0) return Infinity;
    let remaining = -Math.log(rng.nextOpen());
    // Whole weeks first, so a long quiet spell costs nothing.
    const weeks = Math.floor(remaining / this.weekMass);
    remaining -= weeks * this.weekMass;
    let base = t + weeks * WEEK;
    let w = (((base + this.weekOffset) % WEEK) + WEEK) % WEEK;
    let i = this.stepAt(w);
    for (;;) {
      const rate = this.rates[i]!;
      const end = this.end(i);
      const mass = rate * (end - w);
      if (rate > 0 && mass >= remaining) return base + remaining / rate;
      remaining -= mass;
      base += end - w;
      i++;
      if (i === this.starts.length) i = 0;
      w = this.starts[i]!;
    }
  }

  expected(a: number, b: number): number {
    return this.cumulative(b) - this.cumulative(a);
  }

  /** Integrated rate from time 0 to t. */
  private cumulative(t: number): number {
    const fromMonday = (x: number): number => {
      const weeks = Math.floor(x / WEEK);
      const w = x - weeks * WEEK;
      let mass = weeks * this.weekMass;
      const j = this.stepAt(w);
      for (let i = 0; i < j; i++) mass += this.rates[i]! * (this.end(i) - this.starts[i]!);
      return mass + this.rates[j]! * (w - this.starts[j]!);
    };
    return fromMonday(t + this.weekOffset) - fromMonday(this.weekOffset);
  }
}
