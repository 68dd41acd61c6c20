// The pending-event set of the discrete-event kernel: a binary min-heap keyed by
// (time, priority, sequence). The sequence number is the order of scheduling, so ties
// break the same way on every run and a seed replays exactly (as in SimPy's core).
// Cancellation is lazy: a cancelled event stays in the heap, marked, and is dropped when
// it reaches the top; when the dead outnumber the living the heap is rebuilt.
//
// Events that sort before everything in the heap when scheduled (typically "now, before
// anything else due now", as the in-memory SIP network's deliveries are: six per call) go to
// a first-in first-out lane instead, which pop merges with the heap. Such an event would sift
// up to the root and back down again through every level of a heap holding tens of
// thousands of timers; in the lane it costs a comparison or two. The lane stays sorted,
// since an event joins it only when it sorts after the lane's last one.

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
  constructor(time: number, priority: number, seq: number, fn: (arg: A) => void, arg: A) {
    this.time = time;
    this.priority = priority;
    this.seq = seq;
    this.fn = fn;
    this.arg = arg;
    this.done = false;
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
  /** The lane: events in order from `laneHead` on, all due before the heap's top when they came. */
  private lane: HeapEvent<any>[] = [];
  private laneHead = 0;
  /** Cancelled events still held, in the heap or the lane. */
  private dead = 0;
  private nextSeq = 0;

  /** Live events (scheduled, not cancelled, not yet popped). */
  get size(): number {
    return this.items.length + this.lane.length - this.laneHead - this.dead;
  }

  push<A>(time: number, priority: number, fn: (arg: A) => void, arg: A): HeapEvent<A> {
    const ev = new HeapEvent(time, priority, this.nextSeq++, fn, arg);
    const items = this.items;
    const lane = this.lane;
    if ((items.length === 0 || before(ev, items[0]!)) && (lane.length === this.laneHead || !before(ev, lane[lane.length - 1]!))) {
      lane.push(ev);
      return ev;
    }
    let i = items.length;
    items.push(ev);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!before(ev, p)) break;
      items[i] = p;
      i = parent;
    }
    items[i] = ev;
    return ev;
  }

  /** Marks an event cancelled; it will never be returned by pop(). */
  cancel(ev: HeapEvent<any>): void {
    if (ev.done) return;
    ev.done = true;
    // A cancelled event stays in the heap until it reaches the top, which for a SIP timer
    // (B, F: 64·T1) is 32 s of simulated time after it was cancelled; holding its argument
    // (a transaction, with its request and last response) or its function (a closure may hold
    // as much) that long would keep them alive, copied and promoted by the garbage collector,
    // for nothing.
    ev.fn = dropped;
    ev.arg = undefined;
    this.dead++;
    if (this.dead > 1024 && this.dead * 2 > this.items.length) this.compact();
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

  /** The earliest event held, dead or alive: the lane's first or the heap's top. */
  private first(): HeapEvent<any> | undefined {
    const top = this.items[0];
    if (this.laneHead === this.lane.length) return top;
    const l = this.lane[this.laneHead]!;
    return top === undefined || before(l, top) ? l : top;
  }

  /** Removes and returns {@link first}. */
  private removeFirst(): HeapEvent<any> | undefined {
    const lane = this.lane;
    const head = this.laneHead;
    if (head === lane.length) return this.removeTop();
    const l = lane[head]!;
    const top = this.items[0];
    if (top !== undefined && !before(l, top)) return this.removeTop();
    if (head + 1 === lane.length) {
      lane.length = 0;
      this.laneHead = 0;
    } else this.laneHead = head + 1;
    return l;
  }

  private removeTop(): HeapEvent<any> | undefined {
    const items = this.items;
    const n = items.length;
    if (n === 0) return undefined;
    const top = items[0]!;
    const last = items.pop()!;
    if (n > 1) this.siftDown(last, 0);
    return top;
  }

  private siftDown(ev: HeapEvent<any>, start: number): void {
    const items = this.items;
    const n = items.length;
    let i = start;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && before(items[right]!, items[child]!)) child = right;
      const c = items[child]!;
      if (!before(c, ev)) break;
      items[i] = c;
      i = child;
    }
    items[i] = ev;
  }

  private compact(): void {
    this.lane = this.lane.slice(this.laneHead).filter((e) => !e.done);
    this.laneHead = 0;
    const live = this.items.filter((e) => !e.done);
    this.items = live;
    this.dead = 0;
    for (let i = (live.length >> 1) - 1; i >= 0; i--) this.siftDown(live[i]!, i);
  }
}
