// The benchmark model, M/M/c+M (Erlang A): Poisson arrivals, c agents, exponential talk,
// one FIFO queue, callers who abandon after an exponential patience. Every implementation
// in bench/ runs this same model and reports the same counts, so their speeds compare.

export interface MmcParams {
  /** Calls per second. */
  readonly rate: number;
  readonly agents: number;
  /** Mean talk time, seconds. */
  readonly talk: number;
  /** Mean patience, seconds. */
  readonly patience: number;
  /** Arrivals stop at this simulated time; calls already in the system finish. */
  readonly duration: number;
  readonly seed: number;
}

/**
 * What one run did. `events` counts the model's events that fired: one per arrival, one
 * per patience timeout that ran out (an abandonment) and one per departure; a patience
 * timer cancelled because the call was answered is not an event.
 */
export interface MmcResult {
  readonly calls: number;
  readonly answered: number;
  readonly abandoned: number;
  readonly events: number;
  /** Simulated time when the last call left. */
  readonly endTime: number;
}

/** The issue's model: c = 170, 1 call/s, talk 180 s, patience 90 s, one simulated day. */
export const ISSUE_MODEL: MmcParams = { rate: 1, agents: 170, talk: 180, patience: 90, duration: 86_400, seed: 1 };

/**
 * The memory run: the same model scaled to about a million calls in one day, 11.6 calls/s
 * (1,002,240 expected) on 2,400 agents. The offered load is 11.6 x 180 = 2,088 Erlangs,
 * 87 % of the agents, so the queue is stable and short: what is in the system at any time
 * (about 2,100 calls) is the same whatever the number of calls, which only the duration sets.
 */
export const MILLION_MODEL: MmcParams = { rate: 11.6, agents: 2400, talk: 180, patience: 90, duration: 86_400, seed: 1 };
