// The pending-event set of the discrete-event kernel: a 4-ary min-heap keyed by
// (time, priority, sequence). Four children a node halve the levels a pop sifts through, for
// a few more comparisons on each: the direct-signaling million-call model ran 1.8 % fewer
// instructions than on a binary heap (callgrind --predictable, a fifth of the day: 7.65 G vs
// 7.80 G, 2026-11-23; the in-memory SIP day, whose timers mostly go to runs, was unchanged).
// The sequence number is the order of scheduling, so ties break the same way on every run
// and a seed replays exactly (as in SimPy's core).
// A cancelled event leaves the heap at once: each event knows its place in the heap's array.
// (Left there, marked, until it reached the top, cancelled events were a third of the heap in
// the million-call model, its callers' patience timers, and a third of its pops.) In the lane
// and the runs below, first in first out, a cancelled event stays, marked, until it reaches
// the front; when the dead outnumber the living there, they are swept out.
//
// Events that sort before everything in the heap when scheduled (typically "now, before
// anything else due now", as the in-memory SIP network's deliveries are: six per call) go to
// a first-in first-out lane instead, which pop merges with the heap. Such an event would sift
// up to the root and back down again through every level of a heap holding tens of
// thousands of timers; in the lane it costs a comparison or two. The lane stays sorted,
// since an event joins it only when it sorts after the lane's last one.
//
// Timers of one fixed length (SIP's 64·T1 = 32 s of Timers B, F, J; T4; T1) go to runs the
// same way: events scheduled with one delay come due in the order they were scheduled, so a
// first-in first-out run per delay holds them sorted, and pop merges the heads of the few runs
// with the heap's top. The heap is left with the events of random length (the model's), and a
// server holding thousands of 32 s timers (`callsim serve`: a Timer J per BYE and INFO) no
// longer sifts through them on every pop. A delay gets a run the second time it is seen, if it
// is a whole number of 1/1024 s, as timers' lengths are (0.5, 4, 5, 32 s) and random delays
// never are: rounded, random delays repeat all the time (without this rule the million-call
// model's gaps between arrivals, 0.086 s on average, took six of the eight runs). An
// event joins its delay's run only when it sorts after the run's last one, and goes to the heap
// otherwise, so order never depends on any of this.

export class HeapEvent<A = unknown> {
  // Assigned in the constructor rather than as class fields: ES2022 fields are first
  // defined as undefined, which costs V8 the number representation of `time` and `seq` on
  // the hottest object of the kernel (about 8 % of kernel throughput, bench/README.md).
  declare readonly time: number;
  declare readonly priority: number;
  declare readonly seq: number;
  /** Both dropped when the event is cancelled: see EventHeap.cancel. */
  declare fn: (arg: A) => void;
  declare arg: A;
  /** @internal heap bookkeeping: cancelled or already popped. */
  declare done: boolean;
  /** @internal heap bookkeeping: the event's index in the heap's array; -1 in the lane or a run, or gone. */
  declare index: number;
  constructor(time: number, priority: number, seq: number, fn: (arg: A) => void, arg: A) {
    this.time = time;
    this.priority = priority;
    this.seq = seq;
    this.fn = fn;
    this.arg = arg;
    this.done = false;
    this.index = -1;
  }
}

/** The function of every cancelled event (never called: pop skips cancelled events). */
function dropped(): void {}

function before(a: HeapEvent<any>, b: HeapEvent<any>): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

export class EventHeap {
  private items: HeapEvent<any>[] = [];
  /** The lane: events in order, all due before the heap's top when they came. */
  private readonly lane = new Fifo();
  /** Runs of events scheduled with one delay each (its key in `runKeys`), in order. */
  private readonly runs: Fifo[] = [];
  private readonly runKeys: number[] = [];
  /** Delay keys seen once, not yet given a run, in slots by a hash of the key (others overwrite them). */
  private readonly seenKeys = new Float64Array(SEEN_SLOTS).fill(NaN);
  /** Events held anywhere, cancelled ones included. */
  private held = 0;
  /**
   * The earliest event held and where it is (FROM_HEAP, FROM_LANE or a run's index), as
   * `first` found it; NOT_KNOWN after a removal. Run's peekTime then pop scan the lane and runs
   * once per event, and a push keeps it up to date.
   */
  private firstEv: HeapEvent<any> | undefined = undefined;
  private firstFrom = NOT_KNOWN;
  /** Cancelled events still held. */
  private dead = 0;
  private nextSeq = 0;

  /** Live events (scheduled, not cancelled, not yet popped). */
  get size(): number {
    return this.held - this.dead;
  }

  /** @internal The delays that have runs, in seconds (for tests). */
  get runDelays(): number[] {
    return this.runKeys.map((k) => k / RUN_KEY_SCALE);
  }

  /**
   * Schedules `fn(arg)` at `time`. `delay`: how far ahead of its scheduler's clock that is,
   * when the scheduler knows; events of one delay are kept in a run of their own (see above).
   */
  push<A>(time: number, priority: number, fn: (arg: A) => void, arg: A, delay = NaN): HeapEvent<A> {
    return this.insert(new HeapEvent(time, priority, this.nextSeq++, fn, arg), delay);
  }

  /** A sequence number taken now, for an event pushed later with {@link pushAt} (see Scheduler.place). */
  takePlace(): number {
    return this.nextSeq++;
  }

  /**
   * Schedules `fn(arg)` at `time` with the sequence number `place` (from {@link takePlace}): it
   * sorts among events of its time and priority as if pushed when the place was taken. No run:
   * a run holds events in the order they were pushed, which an old place would not be.
   */
  pushAt<A>(time: number, priority: number, place: number, fn: (arg: A) => void, arg: A): HeapEvent<A> {
    return this.insert(new HeapEvent(time, priority, place, fn, arg), NaN);
  }

  private insert<A>(ev: HeapEvent<A>, delay: number): HeapEvent<A> {
    this.held++;
    const items = this.items;
    const lane = this.lane;
    if ((items.length === 0 || before(ev, items[0]!)) && (lane.size === 0 || !before(ev, lane.last()))) {
      lane.push(ev);
      this.pushed(ev, FROM_LANE);
      return ev;
    }
    const scaled = delay * RUN_KEY_SCALE;
    const key = Math.round(scaled);
    // NaN (no delay given) fails this too
    if (Math.abs(scaled - key) < RUN_KEY_SLACK) {
      const r = this.toRun(ev, key);
      if (r >= 0) {
        this.pushed(ev, r);
        return ev;
      }
    }
    this.pushed(ev, FROM_HEAP);
    const i = items.length;
    items.push(ev);
    this.siftUp(ev, i);
    return ev;
  }

  /** Keeps the known first event up to date with a push of `ev` to `from`. */
  private pushed(ev: HeapEvent<any>, from: number): void {
    if (this.firstFrom !== NOT_KNOWN && before(ev, this.firstEv!)) {
      this.firstEv = ev;
      this.firstFrom = from;
    }
  }

  /**
   * Appends `ev` to the run of its delay key when it sorts after that run's last event, and
   * returns the run's index; -1 when it goes to the heap instead.
   */
  private toRun(ev: HeapEvent<any>, key: number): number {
    const keys = this.runKeys;
    let r = 0;
    while (r < keys.length && keys[r] !== key) r++;
    if (r === keys.length) {
      if (keys.length === MAX_RUNS) return -1;
      const seen = this.seenKeys;
      // a multiplicative hash: timers' keys are multiples of 512 (T1 = 0.5 s), which share
      // their low bits, so slots by low bits had Timers J and K take each other's sighting
      const slot = Math.imul(key, 0x9e3779b1) >>> (32 - SEEN_BITS);
      if (seen[slot] !== key) {
        seen[slot] = key;
        return -1;
      }
      seen[slot] = NaN;
      keys.push(key);
      this.runs.push(new Fifo());
    }
    const run = this.runs[r]!;
    if (run.size > 0 && before(ev, run.last())) return -1;
    run.push(ev);
    return r;
  }

  /** Marks an event cancelled; it will never be returned by pop(). */
  cancel(ev: HeapEvent<any>): void {
    if (ev.done) return;
    ev.done = true;
    // A cancelled event in a run stays there until it reaches the front, which for a SIP
    // timer (B, F: 64·T1) is 32 s of simulated time after it was cancelled; holding its
    // argument (a transaction, with its request and last response) or its function (a closure
    // may hold as much) that long would keep them alive, copied and promoted by the garbage
    // collector, for nothing.
    ev.fn = dropped;
    ev.arg = undefined;
    if (ev.index >= 0) {
      this.removeAt(ev.index);
      this.held--;
      if (this.firstEv === ev) {
        this.firstEv = undefined;
        this.firstFrom = NOT_KNOWN;
      }
      return;
    }
    this.dead++;
    if (this.dead > 1024 && this.dead * 2 > this.held) this.compact();
  }

  /** The earliest live event, removed from the heap, or undefined when none is left. */
  pop(): HeapEvent<any> | undefined {
    for (;;) {
      const top = this.removeFirst();
      if (top === undefined) return undefined;
      if (!top.done) {
        top.done = true;
        return top;
      }
      this.dead--;
    }
  }

  /** The time of the earliest live event, or Infinity. */
  peekTime(): number {
    for (;;) {
      const first = this.first();
      if (first === undefined) return Infinity;
      if (!first.done) return first.time;
      this.removeFirst();
      this.dead--;
    }
  }

  /** The earliest event held, dead or alive: the heap's top or the first of the lane or a run. */
  private first(): HeapEvent<any> | undefined {
    if (this.firstFrom !== NOT_KNOWN) return this.firstEv;
    let best = this.items[0];
    let from = best === undefined ? NOT_KNOWN : FROM_HEAP;
    if (this.lane.size > 0) {
      const l = this.lane.first();
      if (best === undefined || before(l, best)) {
        best = l;
        from = FROM_LANE;
      }
    }
    const runs = this.runs;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r]!;
      if (run.size > 0) {
        const e = run.first();
        if (best === undefined || before(e, best)) {
          best = e;
          from = r;
        }
      }
    }
    this.firstEv = best;
    this.firstFrom = from;
    return best;
  }

  /** Removes and returns {@link first}. */
  private removeFirst(): HeapEvent<any> | undefined {
    const best = this.first();
    if (best === undefined) return undefined;
    const from = this.firstFrom;
    this.firstEv = undefined;
    this.firstFrom = NOT_KNOWN;
    this.held--;
    if (from === FROM_HEAP) return this.removeTop();
    (from === FROM_LANE ? this.lane : this.runs[from]!).shift();
    return best;
  }

  private removeTop(): HeapEvent<any> | undefined {
    const items = this.items;
    const n = items.length;
    if (n === 0) return undefined;
    const top = items[0]!;
    top.index = -1;
    const last = items.pop()!;
    if (n > 1) this.siftDown(last, 0);
    return top;
  }

  /** Takes the event at index `i` out of the heap's array. */
  private removeAt(i: number): void {
    const items = this.items;
    items[i]!.index = -1;
    const last = items.pop()!;
    if (i === items.length) return; // it was the last
    if (i > 0 && before(last, items[(i - 1) >> 2]!)) this.siftUp(last, i);
    else this.siftDown(last, i);
  }

  /** Puts `ev` at index `i` or above, moving the later parents down. */
  private siftUp(ev: HeapEvent<any>, start: number): void {
    const items = this.items;
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const p = items[parent]!;
      if (!before(ev, p)) break;
      items[i] = p;
      p.index = i;
      i = parent;
    }
    items[i] = ev;
    ev.index = i;
  }

  private siftDown(ev: HeapEvent<any>, start: number): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      // the earliest of up to four children
      let child = first;
      let c = items[first]!;
      const end = first + 4 < n ? first + 4 : n;
      for (let k = first + 1; k < end; k++) {
        const e = items[k]!;
        if (before(e, c)) {
          c = e;
          child = k;
        }
      }
      if (!before(c, ev)) break;
      items[i] = c;
      c.index = i;
      i = child;
    }
    items[i] = ev;
    ev.index = i;
  }

  private compact(): void {
    this.firstEv = undefined;
    this.firstFrom = NOT_KNOWN;
    // the heap's array holds no cancelled event (see cancel)
    let held = this.items.length + this.lane.dropDone();
    for (const run of this.runs) held += run.dropDone();
    this.held = held;
    this.dead = 0;
  }
}

/** Where the first event is (see EventHeap.firstFrom); runs are 0, 1, ... */
const NOT_KNOWN = -3;
const FROM_HEAP = -2;
const FROM_LANE = -1;
/** Delay keys are delays in 1/1024 s: times computed as now + T by different routes still agree. */
const RUN_KEY_SCALE = 1024;
/**
 * How far from a whole key a delay may be, in keys, and still get a run: 1e-7 s, against
 * rounding errors of 2e-9 s in a `time - now` a year into a run (ulp of 3e7 s is 4e-9 s) and
 * a chance of 2e-4 that a random delay comes this close (it then also has to be seen twice).
 */
const RUN_KEY_SLACK = 1e-4;
/** Runs kept at most (SIP's timers have four lengths: T1, T2, T4 and 64·T1). */
const MAX_RUNS = 8;
const SEEN_BITS = 6;
const SEEN_SLOTS = 1 << SEEN_BITS;
/**
 * The lane, and the events of one delay (a run): first in, first out, on a ring of slots.
 * A slot is emptied as its event leaves, since a run that never empties (SIP's T1 run takes
 * three events a call) would otherwise keep a popped event's argument (a transaction, its
 * request and response) alive for minutes of simulated time, for the garbage collector to copy
 * and promote: emptying them cut what the in-memory SIP day promotes by 8 % (149 to 137 MB over
 * a twentieth of the day, --trace-gc-nvp). The ring grows by doubling and is otherwise never
 * reallocated. An array that empties and starts over (`length = 0`, then push) gets a new
 * backing store from V8 each time: the lane empties after nearly every SIP delivery, and that
 * was 780 B of garbage a call.
 */
class Fifo {
  private slots: (HeapEvent<any> | undefined)[] = emptySlots(16);
  private mask = 15;
  private head = 0;
  size = 0;

  /** The first event; only when size > 0. */
  first(): HeapEvent<any> {
    return this.slots[this.head]!;
  }

  /** The last event; only when size > 0. */
  last(): HeapEvent<any> {
    return this.slots[(this.head + this.size - 1) & this.mask]!;
  }

  push(ev: HeapEvent<any>): void {
    if (this.size === this.slots.length) this.grow();
    this.slots[(this.head + this.size) & this.mask] = ev;
    this.size++;
  }

  /** Drops the first event (the caller has it). */
  shift(): void {
    this.slots[this.head] = undefined;
    this.head = (this.head + 1) & this.mask;
    this.size--;
  }

  /** Drops the events that are done (cancelled), keeping the order of the rest; returns how many are left. */
  dropDone(): number {
    const slots = this.slots;
    let kept = 0;
    for (let k = 0; k < this.size; k++) {
      const i = (this.head + k) & this.mask;
      const ev = slots[i]!;
      slots[i] = undefined;
      if (!ev.done) slots[(this.head + kept++) & this.mask] = ev;
    }
    this.size = kept;
    return kept;
  }

  private grow(): void {
    const old = this.slots;
    const n = old.length;
    const slots = emptySlots(2 * n);
    for (let k = 0; k < n; k++) slots[k] = old[(this.head + k) & this.mask];
    this.slots = slots;
    this.mask = 2 * n - 1;
    this.head = 0;
  }
}

/** `n` empty slots, as a packed array (a holey one checks for holes on every read). */
function emptySlots(n: number): (HeapEvent<any> | undefined)[] {
  const slots: (HeapEvent<any> | undefined)[] = [];
  for (let k = 0; k < n; k++) slots.push(undefined);
  return slots;
}
