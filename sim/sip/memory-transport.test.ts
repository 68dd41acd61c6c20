import test from 'ava';
import { Simulation } from '../kernel/simulation.js';
import { parse } from './codec.js';
import { invite } from './fixtures.js';
import { MemoryNetwork, NO_IMPAIRMENT } from './memory-transport.js';
import type { SipRequest } from './message.js';

// The in-memory network delivers datagrams sent with no latency from one queue, emptied by one
// scheduler event: they must come out as if each had its own event (in the order sent, those
// sent during a delivery after those already waiting, all before a model event due at the same
// time), and a receiver that throws must not strand the rest.

/** The fixture INVITE with `n` as its CSeq number, to tell datagrams apart. */
const numbered = (n: number): SipRequest => {
  const m = parse(invite) as SipRequest;
  return { ...m, headers: m.headers.map((h) => (h.name === 'CSeq' ? { name: 'CSeq', value: `${n} INVITE` } : h)) };
};
const numberOf = (m: { headers: readonly { name: string; value: string }[] }): number => Number.parseInt(m.headers.find((h) => h.name === 'CSeq')!.value, 10);

test('datagrams with no latency arrive in the order sent, replies after what was waiting, all before a model event due then', (t) => {
  const sim = new Simulation();
  const net = new MemoryNetwork(sim, NO_IMPAIRMENT);
  const seen: string[] = [];
  const a = net.endpoint('a', (m) => {
    const n = numberOf(m);
    seen.push(`a got ${n}`);
    if (n < 3) b.send(numbered(n + 10), 'b'); // a reply, sent during a delivery
  });
  const b = net.endpoint('b', (m) => seen.push(`b got ${numberOf(m)}`));
  sim.at(1, () => {
    a.send(numbered(1), 'a');
    a.send(numbered(2), 'a');
    a.send(numbered(3), 'a');
    sim.at(1, () => seen.push('model event'), null);
  }, null);
  sim.run();
  t.deepEqual(seen, ['a got 1', 'a got 2', 'a got 3', 'b got 11', 'b got 12', 'model event']);
  t.is(net.stats.delivered, 5);
});

test('a receiver that throws stops the run, and what it left is delivered when the run goes on', (t) => {
  const sim = new Simulation();
  const net = new MemoryNetwork(sim, NO_IMPAIRMENT);
  const seen: number[] = [];
  const a = net.endpoint('a', (m) => {
    const n = numberOf(m);
    if (n === 1 && !seen.includes(-1)) {
      seen.push(-1);
      throw new Error('receiver failed');
    }
    seen.push(n);
  });
  sim.at(0, () => {
    a.send(numbered(1), 'a');
    a.send(numbered(2), 'a');
  }, null);
  t.throws(() => sim.run(), { message: 'receiver failed' });
  sim.run();
  t.deepEqual(seen, [-1, 2]);
  // the queue works as before afterwards
  sim.at(sim.now() + 1, () => a.send(numbered(3), 'a'), null);
  sim.run();
  t.deepEqual(seen, [-1, 2, 3]);
});
