// What a caller does when things go wrong: how long they wait in queue before hanging
// up, and whether and when they call again after a busy signal or an abandoned wait.

import { distribution, type Distribution, type DistributionSpec } from '../kernel/distributions.js';
import type { RandomStream, RandomStreams } from '../kernel/random.js';
import type { CallerMix } from './ivr-navigation.js';

export interface Redial {
  /** Probability that a blocked or abandoned caller tries again (each failure independently). Default 0. */
  readonly probability: number;
  /** Time from the failure to the next attempt. Default exponential, mean 5 min. */
  readonly delay: DistributionSpec;
  /** Attempts at most, the first included. Default 5. */
  readonly maxAttempts: number;
}

export interface Callers extends CallerMix {
  /** How long a caller waits in queue before hanging up; null = forever. Default null. */
  readonly patience: DistributionSpec | null;
  readonly redial: Redial;
}

export class CallerBehaviour {
  private readonly patience: Distribution | null;
  private readonly redialDelay: Distribution;
  private readonly patienceRng: RandomStream;
  private readonly redialRng: RandomStream;

  constructor(
    private readonly spec: Callers,
    streams: RandomStreams,
  ) {
    this.patience = spec.patience ? distribution(spec.patience) : null;
    this.redialDelay = distribution(spec.redial.delay);
    this.patienceRng = streams.stream('callers:patience');
    this.redialRng = streams.stream('callers:redial');
  }

  /** Seconds this caller will wait for an agent, Infinity if forever. */
  samplePatience(): number {
    return this.patience ? this.patience.sample(this.patienceRng) : Infinity;
  }

  /**
   * After failed attempt number `attempt`: the delay before the next attempt, or
   * undefined when the caller gives up. Each failure decides independently.
   */
  redialAfter(attempt: number): number | undefined {
    const { probability, maxAttempts } = this.spec.redial;
    if (attempt >= maxAttempts || probability <= 0) return undefined;
    if (!this.redialRng.chance(probability)) return undefined;
    return this.redialDelay.sample(this.redialRng);
  }
}
