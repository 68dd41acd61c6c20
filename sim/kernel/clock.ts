// Time in callsim is a number of seconds since the start of a run. The model reads it
// from a Clock and asks a Scheduler to call it back later; it never reads the wall clock
// or calls setTimeout itself, so the same code runs in simulated and in real time.
// Two Schedulers exist: Simulation (simulation.ts, virtual time) and WallClockScheduler
// (wall-clock.ts, real time: the one Scheduler allowed to use timers and performance.now).

/** Something that tells the current time, in seconds since the run started. */
export interface Clock {
  now(): number;
}

/** A scheduled callback that can still be cancelled. */
export interface Scheduled {
  /** When it fires, in the clock's seconds. */
  readonly time: number;
  /** True once cancelled or fired. */
  readonly done: boolean;
}

/**
 * Schedules callbacks on a clock. `priority` breaks ties between callbacks due at the
 * same instant (lower first); equal priorities fire in the order they were scheduled.
 */
export interface Scheduler extends Clock {
  at<A>(time: number, fn: (arg: A) => void, arg: A, priority?: number): Scheduled;
  after<A>(delay: number, fn: (arg: A) => void, arg: A, priority?: number): Scheduled;
  cancel(event: Scheduled): void;
  /**
   * Takes a place in the scheduling order, for one event to be scheduled later with `atPlace`:
   * that event then breaks ties as if it had been scheduled now. A source that schedules only
   * its next event, when the previous one fires (an agent's log-ins and log-outs), so keeps the
   * order its events would have had all scheduled up front. Events pending at one time must not
   * share a place: their order would then be undefined.
   */
  place(): number;
  /** Like `at`, with the tie order of the moment `place` was taken. */
  atPlace<A>(time: number, place: number, fn: (arg: A) => void, arg: A, priority?: number): Scheduled;
}

/** Thrown when the model asks for something a clock cannot do (e.g. go back in time). */
export class ClockError extends Error {
  override readonly name = 'ClockError';
}
