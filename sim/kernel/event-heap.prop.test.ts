import test from 'ava';
import fc from 'fast-check';
import { EventHeap, type HeapEvent } from './event-heap.js';

/** A push `at` a time (absolute, or after the time last popped: see agreesWithSortedList), a cancel of the n-th push (mod pushes), a pop, or a look at the next time (which pushes and cancels may then change). */
type Op =
  | { push: { at: number; priority: number; delay?: number | null } }
  | { cancel: number }
  | { pop: true }
  | { peek: true }
  /** Takes a place (takePlace) for a later pushAt. */
  | { place: true }
  /** A push at the place taken n-th (mod the places not yet used), as an agent's next log-in is. */
  | { pushAt: { at: number; priority: number; place: number } };

/**
 * Runs `ops` on a heap and on a list sorted by (time, priority, sequence): every pop and
 * peekTime must agree with the list, and the sizes too. With `relative`, a push's `at` counts
 * from the time of the event popped last, as a run schedules. A push's `delay` is what it
 * tells the heap its delay is (the key of the fixed-delay runs), true or not: order must not
 * depend on it.
 */
function agreesWithSortedList(ops: readonly Op[], relative: boolean): boolean {
  const heap = new EventHeap();
  const model: { time: number; priority: number; seq: number; id: number }[] = [];
  const handles: HeapEvent<number>[] = [];
  let seq = 0;
  let now = 0;
  const places: number[] = [];
  for (const o of ops) {
    if ('place' in o) {
      const place = heap.takePlace();
      if (place !== seq++) return false;
      places.push(place);
    } else if ('pushAt' in o) {
      if (places.length === 0) continue;
      const [place] = places.splice(o.pushAt.place % places.length, 1);
      const id = handles.length;
      const time = relative ? now + o.pushAt.at : o.pushAt.at;
      handles.push(heap.pushAt(time, o.pushAt.priority, place!, () => {}, id));
      model.push({ time, priority: o.pushAt.priority, seq: place!, id });
    } else if ('push' in o) {
      const id = handles.length;
      const time = relative ? now + o.push.at : o.push.at;
      handles.push(heap.push(time, o.push.priority, () => {}, id, o.push.delay ?? NaN));
      model.push({ time, priority: o.push.priority, seq: seq++, id });
    } else if ('cancel' in o) {
      if (handles.length === 0) continue;
      const id = o.cancel % handles.length;
      heap.cancel(handles[id]!);
      const i = model.findIndex((m) => m.id === id);
      if (i >= 0) model.splice(i, 1);
    } else if ('peek' in o) {
      model.sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
      if (heap.peekTime() !== (model[0]?.time ?? Infinity)) return false;
    } else {
      model.sort((a, b) => a.time - b.time || a.priority - b.priority || a.seq - b.seq);
      const expected = model.shift();
      if (heap.peekTime() !== (expected?.time ?? Infinity)) return false;
      const got = heap.pop();
      if ((expected?.id ?? -1) !== (got?.arg ?? -1)) return false;
      if (got !== undefined) now = got.time;
    }
    if (heap.size !== model.length) return false;
  }
  return true;
}

const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ at: fc.integer({ min: 0, max: 20 }), priority: fc.integer({ min: 0, max: 2 }) }).map((push) => ({ push })) },
  { weight: 2, arbitrary: fc.nat(200).map((cancel) => ({ cancel })) },
  { weight: 3, arbitrary: fc.constant({ pop: true as const }) },
  { weight: 1, arbitrary: fc.constant({ peek: true as const }) },
);

test('pops in (time, priority, sequence) order, never a cancelled event, against a sorted list', (t) => {
  t.notThrows(() => fc.assert(fc.property(fc.array(op, { maxLength: 3000 }), (ops) => agreesWithSortedList(ops, false)), { numRuns: 200 }));
});

test('many cancellations are compacted away and the rest still come out in order', (t) => {
  const heap = new EventHeap();
  const hs = [];
  for (let i = 0; i < 10000; i++) hs.push(heap.push(10000 - i, 0, () => {}, i));
  for (let i = 0; i < 10000; i += 2) heap.cancel(hs[i]!);
  heap.cancel(hs[0]!); // twice: no effect
  t.is(heap.size, 5000);
  let last = -Infinity;
  let n = 0;
  for (let e = heap.pop(); e; e = heap.pop()) {
    t.true(e.time >= last);
    t.is((e.arg as number) % 2, 1);
    last = e.time;
    n++;
  }
  t.is(n, 5000);
});

test('compaction keeps the lane and the runs in order, their rings wrapped and grown', (t) => {
  const heap = new EventHeap();
  const hs: HeapEvent<number>[] = [];
  const push = (time: number, delay: number): void => {
    hs.push(heap.push(time, 0, () => {}, hs.length, delay));
  };
  for (let i = 0; i < 3000; i++) push(i, NaN); // the lane: each after the last, the heap empty
  for (let i = 0; i < 3000; i++) push(i + 0.5, 32); // a run, from its delay's second sighting
  const popped: number[] = [];
  for (let i = 0; i < 100; i++) popped.push(heap.pop()!.arg as number);
  // past the rings' 4,096 slots with their heads moved on: both wrap, then grow
  for (let i = 3000; i < 5000; i++) push(i, NaN);
  for (let i = 3000; i < 5000; i++) push(i + 0.5, 32);
  for (let i = 0; i < hs.length; i++) if (i % 3 !== 0) heap.cancel(hs[i]!); // compacts on the way
  const live = hs.filter((e, i) => i % 3 === 0 && !popped.includes(i)).sort((a, b) => a.time - b.time || a.seq - b.seq);
  t.is(heap.size, live.length);
  const rest: number[] = [];
  for (let e = heap.pop(); e !== undefined; e = heap.pop()) rest.push(e.arg as number);
  t.deepEqual(rest, live.map((e) => e.arg));
});

// As a run schedules: mostly at the time of the event just popped ("now", the lane's case,
// at priorities below and above the rest) or a little later, with cancellations in between.
const nowOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ at: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 })), priority: fc.integer({ min: -2, max: 2 }) }).map((push) => ({ push })) },
  { weight: 1, arbitrary: fc.nat(200).map((cancel) => ({ cancel })) },
  { weight: 4, arbitrary: fc.constant({ pop: true as const }) },
  { weight: 1, arbitrary: fc.constant({ peek: true as const }) },
);

test('events scheduled at the time just popped come out in order too (the lane merged with the heap)', (t) => {
  t.notThrows(() => fc.assert(fc.property(fc.array(nowOp, { maxLength: 3000 }), (ops) => agreesWithSortedList(ops, true)), { numRuns: 300 }));
});

// As a SIP element schedules: timers of a few fixed lengths (their delays told to the heap, so
// they go to the runs) among model events of random length, some of them cancelled; and
// events that tell the heap a delay they do not have (a run must refuse what would break its order).
const LENGTHS = [0, 0.5, 5, 32];
const timerOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ at: fc.constantFrom(...LENGTHS), priority: fc.integer({ min: -2, max: 2 }) }).map((p) => ({ push: { ...p, delay: p.at } })) },
  { weight: 2, arbitrary: fc.record({ at: fc.double({ min: 0, max: 40, noNaN: true }), priority: fc.integer({ min: -1, max: 1 }), delay: fc.option(fc.constantFrom(...LENGTHS)) }).map((push) => ({ push })) },
  { weight: 1, arbitrary: fc.nat(300).map((cancel) => ({ cancel })) },
  { weight: 3, arbitrary: fc.constant({ pop: true as const }) },
  { weight: 2, arbitrary: fc.constant({ peek: true as const }) },
);

test('timers of fixed lengths (the runs) merged with the heap and the lane come out in order', (t) => {
  t.notThrows(() => fc.assert(fc.property(fc.array(timerOp, { maxLength: 3000 }), (ops) => agreesWithSortedList(ops, true)), { numRuns: 300 }));
});

test('a run that never empties (a 32 s timer per 1 s step, 30,000 steps) keeps order and drops what it consumed', (t) => {
  // 32 timers always pending in the 32 s run while time moves about a second per pop: its
  // ring of slots wraps around many times over. Too many pending events for
  // the sorted list, so the check is: pops never go back in (time, priority, sequence), which
  // with every event scheduled at or after the last pop means each was the earliest; and every
  // event comes out exactly once, unless cancelled.
  const heap = new EventHeap();
  const handles: HeapEvent<number>[] = [];
  const cancelled = new Set<number>();
  const popped = new Set<number>();
  let now = 0;
  let last: HeapEvent<number> | undefined;
  let inOrder = true;
  const take = (e: HeapEvent<any> | undefined): void => {
    if (e === undefined) return;
    if (last !== undefined && (e.time < last.time || (e.time === last.time && (e.priority < last.priority || (e.priority === last.priority && e.seq < last.seq))))) inOrder = false;
    last = e;
    now = e.time;
    popped.add(e.arg as number);
  };
  for (let i = 0; i < 30000; i++) {
    handles.push(heap.push(now + 32, 0, () => {}, handles.length, 32));
    handles.push(heap.push(now + 1, 1 + (i % 3), () => {}, handles.length, 1));
    if (i % 5 === 0) {
      const c = (i * 13) % handles.length;
      if (!popped.has(c)) cancelled.add(c);
      heap.cancel(handles[c]!);
    }
    take(heap.pop());
  }
  for (let e = heap.pop(); e !== undefined; e = heap.pop()) take(e);
  t.true(inOrder);
  t.is(popped.size + cancelled.size, handles.length);
  t.false([...cancelled].some((c) => popped.has(c)));
});

test('timers get runs of their own among random delays that repeat once rounded', (t) => {
  // as the in-memory SIP day schedules: per call a gap to the next arrival (random, 0.086 s on
  // average, which repeats in 1/1024 s all the time), then T1, T4 and 64·T1 timers
  const heap = new EventHeap();
  let now = 0;
  let u = 0.5;
  for (let i = 0; i < 2000; i++) {
    u = (u * 9301 + 49297) % 233280 / 233280; // a fixed sequence: the test must not vary
    const gap = -0.086 * Math.log(1 - u);
    for (const delay of [gap, 0.5, 5, 32]) heap.push(now + delay, 0, () => {}, null, delay);
    now = heap.pop()!.time;
  }
  t.deepEqual(heap.runDelays.sort((a, b) => a - b), [0.5, 5, 32]);
});

// As the model schedules agents' shifts: places taken among ordinary pushes, and used later,
// one event each, at times that tie with events pushed since (the lane's "now" included).
const placeOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: nowOp },
  { weight: 2, arbitrary: fc.constant({ place: true as const }) },
  { weight: 2, arbitrary: fc.record({ at: fc.integer({ min: 0, max: 3 }), priority: fc.integer({ min: -1, max: 1 }), place: fc.nat(50) }).map((pushAt) => ({ pushAt })) },
);

test('an event pushed at a place taken earlier sorts as if it had been pushed then', (t) => {
  t.notThrows(() => fc.assert(fc.property(fc.array(placeOp, { maxLength: 3000 }), (ops) => agreesWithSortedList(ops, true)), { numRuns: 300 }));
});
