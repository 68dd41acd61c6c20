import test from 'ava';
import { PriorityCallQueue } from './priority-queue.js';

const entry = (name: string) => ({ name, gone: false });

test('lower priority numbers are served first, first-in first-out within a lane', (t) => {
  const q = new PriorityCallQueue<ReturnType<typeof entry>>();
  q.push(entry('general-1'), 0);
  q.push(entry('complaint-1'), -1);
  q.push(entry('general-2'), 0);
  q.push(entry('complaint-2'), -1);
  t.is(q.waiting, 4);
  const order: string[] = [];
  for (let e = q.shift(); e; e = q.shift()) order.push(e.name);
  t.deepEqual(order, ['complaint-1', 'complaint-2', 'general-1', 'general-2']);
});

test('abandoned callers stay as ghosts in their lane; a rung-out call goes back to the head', (t) => {
  const q = new PriorityCallQueue<ReturnType<typeof entry>>();
  const a = entry('a');
  const b = entry('b');
  q.push(a, 0);
  q.push(b, 0);
  q.abandon(a, 0);
  t.is(q.waiting, 1);
  t.is(q.peek(), a); // the ghost is still first in line
  t.true(q.shift()!.gone);
  const back = entry('rang-out');
  q.pushFront(back, 0);
  t.is(q.shift(), back);
  t.is(q.shift(), b);
  t.is(q.shift(), undefined);
});
