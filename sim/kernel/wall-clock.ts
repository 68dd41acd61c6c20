// A Scheduler on the wall clock, for `callsim serve` and `callsim load`: now() is the time
// since construction read from performance.now(), and callbacks fire from Node's event loop.
// This is the one file under sim/ that may touch real time (setTimeout, setImmediate,
// performance.now); everything else gets time from a Clock, so the same model code runs here
// and in the discrete-event kernel (simulation.ts). The SIPp driver keeps its process bounds
// on one of these too. The exception is the JsSIP adapter (sim/sip/jssip/), which drives a
// library that runs on Node's timers itself.
//
// Pending events live in the kernel's EventHeap, keyed (time, priority, sequence), and one
// Node timer is armed for the earliest. At 500 calls/s a SIP stack holds 10-20 k pending
// timers (Timer B/F alone run 32 s); one Node Timeout object per event would cost an
// allocation and a clearTimeout per cancel, while the heap costs O(log n) and keeps the
// tie-break rules of the virtual clock: events due at the same instant fire by priority, then
// in the order they were scheduled. Events due in the same turn of the event loop fire in one
// dispatch, in heap order.

import { ClockError, type Scheduled, type Scheduler } from './clock.js';
import { EventHeap, HeapEvent } from './event-heap.js';

/** Longest delay Node's setTimeout accepts (about 24.8 days); longer waits re-arm. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface WallClockOptions {
  /**
   * When true, the scheduler's timers never keep the process alive: a process whose sockets
   * are closed exits even with events pending. Default false.
   */
  readonly unref?: boolean;
  /**
   * Called with an exception thrown by a callback; the remaining due events still fire.
   * Default: the exception propagates from the timer (an uncaught exception), after the next
   * timer has been armed.
   */
  readonly onError?: (error: unknown) => void;
  /**
   * Seconds of this clock per real second (default 1). `callsim serve --speed 60` runs the
   * model an hour a minute: every delay the model asks for is waited 60 times shorter.
   */
  readonly speed?: number;
  /** See {@link WallClockScheduler.resolution}. Default 0: every event fires as soon as it is due. */
  readonly resolution?: number;
}

type Armed = { readonly kind: 'timeout'; readonly handle: NodeJS.Timeout } | { readonly kind: 'immediate'; readonly handle: NodeJS.Immediate };

/** A {@link Scheduler} whose time is real time, in seconds since it was constructed (or {@link WallClockScheduler.restart restarted}). */
export class WallClockScheduler implements Scheduler {
  private readonly heap = new EventHeap();
  private origin = performance.now();
  private readonly unref: boolean;
  private readonly onError: ((error: unknown) => void) | undefined;
  private armed: Armed | undefined;
  /** The due time the armed timer was set for (Infinity when none is armed). */
  private armedFor = Infinity;
  private closed = false;
  /** Clock seconds per real second. */
  readonly speed: number;
  /**
   * Timer coalescing, in this clock's seconds (0: none). The Node timer is armed only on a grid
   * of this step, so every event falling due within one step fires in one dispatch at the
   * step's end, at most one step late. A server under load then wakes once per step for its
   * timers rather than once per event; SIPp's own scheduler works the same way (-timer_resol,
   * 10 ms by default).
   */
  readonly resolution: number;
  /** Callbacks fired so far. */
  fired = 0;
  /** The largest delay seen between an event's due time and its callback, in this clock's seconds. */
  maxLateness = 0;

  constructor(options: WallClockOptions = {}) {
    this.unref = options.unref ?? false;
    this.onError = options.onError;
    this.speed = options.speed ?? 1;
    if (!(this.speed > 0 && Number.isFinite(this.speed))) throw new ClockError(`a wall clock's speed must be a positive number, got ${options.speed}`);
    this.resolution = options.resolution ?? 0;
    if (!(this.resolution >= 0 && Number.isFinite(this.resolution))) throw new ClockError(`a wall clock's resolution must be a number of seconds >= 0, got ${options.resolution}`);
  }

  /** When the timer for an event due at `time` goes off: `time` itself, or the end of its step of the grid. */
  private slot(time: number): number {
    const r = this.resolution;
    return r > 0 ? Math.ceil(time / r) * r : time;
  }

  now(): number {
    return ((performance.now() - this.origin) / 1000) * this.speed;
  }

  /**
   * Fires `fn(arg)` at `time` (seconds since construction). A time already past fires as soon
   * as the event loop allows, still in (time, priority, order) order with other due events.
   * After {@link close} the event is inert: it is returned already done and never fires.
   */
  at<A>(time: number, fn: (arg: A) => void, arg: A, priority = 0): Scheduled {
    if (Number.isNaN(time)) throw new ClockError('cannot schedule at NaN seconds');
    return this.schedule(time, time - this.now(), fn, arg, priority);
  }

  after<A>(delay: number, fn: (arg: A) => void, arg: A, priority = 0): Scheduled {
    if (!(delay >= 0)) throw new ClockError(`cannot schedule after a delay of ${delay} s`);
    return this.schedule(this.now() + delay, delay, fn, arg, priority);
  }

  place(): number {
    return this.heap.takePlace();
  }

  atPlace<A>(time: number, place: number, fn: (arg: A) => void, arg: A, priority = 0): Scheduled {
    if (Number.isNaN(time)) throw new ClockError('cannot schedule at NaN seconds');
    if (this.closed) return inert(time, priority, fn, arg);
    return this.armFor(this.heap.pushAt(time, priority, place, fn, arg));
  }

  private schedule<A>(time: number, delay: number, fn: (arg: A) => void, arg: A, priority: number): Scheduled {
    if (this.closed) return inert(time, priority, fn, arg);
    return this.armFor(this.heap.push(time, priority, fn, arg, delay));
  }

  /** Arms the timer anew when `ev` comes due before the one it is armed for. */
  private armFor<A>(ev: HeapEvent<A>): HeapEvent<A> {
    if (ev.time < this.armedFor && this.slot(ev.time) < this.armedFor) this.arm();
    return ev;
  }

  cancel(event: Scheduled): void {
    this.heap.cancel(event as HeapEvent<unknown>);
    // nothing left: drop the timer so that it does not hold the process until it fires
    if (this.heap.size === 0) this.disarm();
  }

  /**
   * Makes now() 0 again: for a clock built before what it runs was ready (`callsim serve`
   * builds the model on it, then binds its sockets; at --speed 60 those 0.2 s would be 12 s of
   * the scenario gone before it starts). Only while nothing is scheduled: returns false and
   * changes nothing otherwise.
   */
  restart(): boolean {
    if (this.heap.size > 0 || this.armed !== undefined || this.closed) return false;
    this.origin = performance.now();
    return true;
  }

  /** Live events still pending. */
  get pending(): number {
    return this.heap.size;
  }

  /** Cancels every pending event and the armed timer; later at/after calls are inert. Idempotent. */
  close(): void {
    this.closed = true;
    this.disarm();
    while (this.heap.pop() !== undefined) { /* pop marks each event done */ }
  }

  private readonly dispatch = (): void => {
    this.armed = undefined;
    this.armedFor = Infinity;
    // events that fall due while this dispatch runs (after(0) included) wait for the next
    // turn, so that a chain of zero-delay events cannot starve socket I/O
    const horizon = this.now();
    let failure: { error: unknown } | undefined;
    try {
      while (!this.closed && this.heap.peekTime() <= horizon) {
        const ev = this.heap.pop()!;
        const late = this.now() - ev.time;
        if (late > this.maxLateness) this.maxLateness = late;
        this.fired++;
        if (this.onError === undefined) {
          ev.fn(ev.arg);
        } else {
          try {
            ev.fn(ev.arg);
          } catch (e) {
            this.onError(e);
          }
        }
      }
    } catch (e) {
      failure = { error: e };
    }
    if (!this.closed) this.arm();
    if (failure !== undefined) throw failure.error;
  };

  /** Arms one timer for the earliest pending event (or none when the heap is empty). */
  private arm(): void {
    const next = this.heap.peekTime();
    if (next === Infinity) {
      this.disarm();
      return;
    }
    const due = this.slot(next);
    if (this.armed !== undefined && this.armedFor <= due) return;
    this.disarm();
    const delayMs = ((due - this.now()) * 1000) / this.speed;
    // setTimeout fires at whole milliseconds of the loop's clock, possibly a fraction early:
    // dispatch() then finds nothing due and re-arms for the rest
    this.armed = delayMs <= 0
      ? { kind: 'immediate', handle: setImmediate(this.dispatch) }
      : { kind: 'timeout', handle: setTimeout(this.dispatch, Math.min(Math.ceil(delayMs), MAX_TIMEOUT_MS)) };
    this.armedFor = due;
    if (this.unref) this.armed.handle.unref();
  }

  private disarm(): void {
    const a = this.armed;
    if (a === undefined) return;
    if (a.kind === 'timeout') clearTimeout(a.handle);
    else clearImmediate(a.handle);
    this.armed = undefined;
    this.armedFor = Infinity;
  }
}

function inert<A>(time: number, priority: number, fn: (arg: A) => void, arg: A): Scheduled {
  const ev = new HeapEvent(time, priority, -1, fn, arg);
  ev.done = true;
  return ev;
}
