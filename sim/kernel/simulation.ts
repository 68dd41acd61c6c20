// The discrete-event kernel: a virtual clock that jumps from event to event. It is the
// only Scheduler under sim/ that runs in simulated time; a wall-clock Scheduler (for
// `callsim serve` and `load`) satisfies the same interface.

import { ClockError, type Scheduled, type Scheduler } from './clock.js';
import { EventHeap, type HeapEvent } from './event-heap.js';

export class Simulation implements Scheduler {
  private readonly heap = new EventHeap();
  private current = 0;
  private stopped = false;
  /** Events fired so far. */
  events = 0;

  now(): number {
    return this.current;
  }

  at<A>(time: number, fn: (arg: A) => void, arg: A, priority = 0): Scheduled {
    this.notPast(time);
    return this.heap.push(time, priority, fn, arg, time - this.current);
  }

  after<A>(delay: number, fn: (arg: A) => void, arg: A, priority = 0): Scheduled {
    if (!(delay >= 0)) throw new ClockError(`cannot schedule after a delay of ${delay} s`);
    return this.heap.push(this.current + delay, priority, fn, arg, delay);
  }

  place(): number {
    return this.heap.takePlace();
  }

  atPlace<A>(time: number, place: number, fn: (arg: A) => void, arg: A, priority = 0): Scheduled {
    this.notPast(time);
    return this.heap.pushAt(time, priority, place, fn, arg);
  }

  private notPast(time: number): void {
    if (!(time >= this.current)) {
      throw new ClockError(`cannot schedule at ${time} s: the clock is already at ${this.current} s`);
    }
  }

  cancel(event: Scheduled): void {
    this.heap.cancel(event as HeapEvent<unknown>);
  }

  /** Live events still pending. */
  get pending(): number {
    return this.heap.size;
  }

  /** Stops run() after the current event. */
  stop(): void {
    this.stopped = true;
  }

  /**
   * Fires events in order until none is left, stop() is called, `maxEvents` have fired,
   * or the next event lies beyond `until` (the clock then moves to `until`). Returns the
   * number of events fired.
   */
  run(until = Infinity, maxEvents = Infinity): number {
    this.stopped = false;
    const heap = this.heap;
    let fired = 0;
    while (!this.stopped && fired < maxEvents) {
      const next = heap.peekTime();
      if (next > until) {
        if (next !== Infinity) this.current = until;
        break;
      }
      const ev = heap.pop();
      if (ev === undefined) break;
      this.current = ev.time;
      fired++;
      ev.fn(ev.arg);
    }
    this.events += fired;
    return fired;
  }
}
