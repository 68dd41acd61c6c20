import test from 'ava';
import fc from 'fast-check';
import { EventHeap, type HeapEvent } from './event-heap.js';

/** A push `at` a time (absolute, or after the time last popped: see agreesWithSortedList), a cancel of the n-th push (mod pushes), or a pop. */
type Op = { push: { at: number; priority: number } } | { cancel: number } | { pop: true };

/**
 * Runs `ops` on a heap and on a list sorted by (time, priority, sequence): every pop and
 * peekTime must agree with the list, and the sizes too. With `relative`, a push's `at` counts
 * from the time of the event popped last, as a run schedules.
 */
function agreesWithSortedList(ops: readonly Op[], relative: boolean): boolean {
  const heap = new EventHeap();
  const model: { time: number; priority: number; seq: number; id: number }[] = [];
  const handles: HeapEvent<number>[] = [];
  let seq = 0;
  let now = 0;
  for (const o of ops) {
    if ('push' in o) {
      const id = handles.length;
      const time = relative ? now + o.push.at : o.push.at;
      handles.push(heap.push(time, o.push.priority, () => {}, id));
      model.push({ time, priority: o.push.priority, seq: seq++, id });
    } else if ('cancel' in o) {
      if (handles.length === 0) continue;
      const id = o.cancel % handles.length;
      heap.cancel(handles[id]!);
      const i = model.findIndex((m) => m.id === id);
      if (i >= 0) model.splice(i, 1);
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

// As a run schedules: mostly at the time of the event just popped ("now", the lane's case,
// at priorities below and above the rest) or a little later, with cancellations in between.
const nowOp: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ at: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 })), priority: fc.integer({ min: -2, max: 2 }) }).map((push) => ({ push })) },
  { weight: 1, arbitrary: fc.nat(200).map((cancel) => ({ cancel })) },
  { weight: 4, arbitrary: fc.constant({ pop: true as const }) },
);

test('events scheduled at the time just popped come out in order too (the lane merged with the heap)', (t) => {
  t.notThrows(() => fc.assert(fc.property(fc.array(nowOp, { maxLength: 3000 }), (ops) => agreesWithSortedList(ops, true)), { numRuns: 300 }));
});
