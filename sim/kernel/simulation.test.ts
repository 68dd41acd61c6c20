import test from 'ava';
import v8 from 'node:v8';
import vm from 'node:vm';
import { ClockError } from './clock.js';
import { Simulation } from './simulation.js';

test('fires events in time order, ties by priority then scheduling order', (t) => {
  const sim = new Simulation();
  const seen: string[] = [];
  const log = (s: string) => seen.push(`${sim.now()}:${s}`);
  sim.at(5, log, 'b');
  sim.at(5, log, 'a', -1);
  sim.at(1, log, 'first');
  sim.at(5, log, 'c');
  sim.after(2, (s: string) => {
    log(s);
    sim.after(0, log, 'same-instant');
  }, 'x');
  t.is(sim.run(), 6);
  t.deepEqual(seen, ['1:first', '2:x', '2:same-instant', '5:a', '5:b', '5:c']);
});

test('an event scheduled at a place taken earlier breaks ties as if it had been scheduled then', (t) => {
  const sim = new Simulation();
  const seen: string[] = [];
  const log = (s: string) => seen.push(s);
  sim.at(5, log, 'before the place');
  const place = sim.place();
  sim.at(5, log, 'after the place');
  sim.at(5, log, 'urgent', -1);
  sim.at(1, () => sim.atPlace(5, place, log, 'at the place'), null);
  sim.run();
  t.deepEqual(seen, ['urgent', 'before the place', 'at the place', 'after the place']);
  t.throws(() => sim.atPlace(4, sim.place(), log, 'past'), { instanceOf: ClockError });
});

test('cancelled events never fire', (t) => {
  const sim = new Simulation();
  let fired = 0;
  const e = sim.at(3, () => fired++, null);
  sim.at(1, () => sim.cancel(e), null);
  sim.run();
  t.is(fired, 0);
  t.true(e.done);
});

test('the clock refuses to go backwards', (t) => {
  const sim = new Simulation();
  sim.at(10, () => {
    t.throws(() => sim.at(9, () => {}, null), { instanceOf: ClockError });
    t.throws(() => sim.after(-1, () => {}, null), { instanceOf: ClockError });
  }, null);
  sim.run();
  t.is(sim.now(), 10);
});

test('an event that has run lets go of its argument though its run of timers goes on', async (t) => {
  // Events of one delay are kept in a run (event-heap.ts); a run that never empties, like the
  // SIP day's T1 run, must not keep what its fired events carried (a completed transaction,
  // its messages) until it next drops its consumed front, minutes of simulated time later.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const sim = new Simulation();
  let fired = 0;
  // Something due later first, so that the timers go to the heap and their run rather than to
  // the lane of events due before everything; a delay gets its run the second time it is
  // seen: two timers, then the one that matters.
  sim.at(0.9, () => {}, null);
  sim.after(0.5, () => fired++, null);
  sim.after(0.5, () => fired++, null);
  const ref = (() => {
    const payload = { response: 'y'.repeat(1000) };
    sim.after(0.5, (p: { response: string }) => { fired += p.response.length; }, payload);
    return new WeakRef(payload);
  })();
  // the same delay again and again, so the run holds events after those have run
  for (let i = 1; i <= 10; i++) sim.at(i * 0.1, () => sim.after(0.5, () => fired++, null), null);
  sim.run(0.55);
  t.is(fired, 1002, 'the first three timers ran');
  t.true(sim.pending > 0, 'its run still holds later timers');
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  t.is(ref.deref(), undefined);
  sim.run();
  t.is(fired, 1012);
});

test('run(until) stops before later events and resumes where it left off', (t) => {
  const sim = new Simulation();
  const seen: number[] = [];
  for (const x of [1, 4, 9]) sim.at(x, (v: number) => seen.push(v), x);
  sim.run(5);
  t.deepEqual(seen, [1, 4]);
  t.is(sim.now(), 5);
  sim.run(Infinity, 1);
  t.deepEqual(seen, [1, 4, 9]);
  t.is(sim.pending, 0);
});

test('a cancelled event lets go of its argument at once, though the heap keeps the event until its time', async (t) => {
  // A SIP timer (B, F: 32 s) cancelled when its transaction completes stays in the heap until
  // its time comes; it must not keep the transaction, and its messages, alive until then.
  v8.setFlagsFromString('--expose-gc');
  const gc = vm.runInNewContext('gc') as () => void;
  const sim = new Simulation();
  let fired = 0;
  sim.after(1, () => fired++, null);
  const [ref, closureRef] = (() => {
    const payload = { request: 'x'.repeat(1000) };
    const held = { response: 'y'.repeat(1000) };
    const ev = sim.after(32, () => { fired += held.response.length; }, payload);
    sim.cancel(ev);
    return [new WeakRef(payload), new WeakRef(held)];
  })();
  // WeakRef targets are kept until the end of the current job
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  t.is(ref.deref(), undefined);
  t.is(closureRef.deref(), undefined);
  t.is(sim.pending, 1);
  sim.run();
  t.is(fired, 1);
});
