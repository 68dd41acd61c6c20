import test from 'ava';
import { RandomStreams } from '../kernel/random.js';
import { Simulation } from '../kernel/simulation.js';
import type { SipRequest } from './message.js';
import { createResponse } from './transaction.js';
import { FakeNetwork } from './transaction-fake-network.js';
import { TransactionLayer } from './transaction-layer.js';
import { InviteServerTransaction } from './transaction-server.js';

const UAC = '10.0.0.1:5060';
const UAS = '10.0.0.2:5060';

function invite(branch: string, i: number): SipRequest {
  return {
    kind: 'request', method: 'INVITE', uri: 'sip:12333@10.0.0.2',
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP 10.0.0.1:5060;branch=${branch}` },
      { name: 'From', value: `<sip:c${i}@10.0.0.1>;tag=a${i}` },
      { name: 'To', value: '<sip:12333@10.0.0.2>' },
      { name: 'Call-ID', value: `call-${i}` },
      { name: 'CSeq', value: '1 INVITE' },
    ],
    body: '',
  };
}

/** N INVITEs started 0.1 s apart; `lose` decides per packet; the UAS answers `status` at once. */
function run(n: number, status: number, lose: (what: string) => boolean) {
  const sim = new Simulation();
  const net = new FakeNetwork(sim, 0.01);
  net.drop = (p) => lose(p.what);
  const a = net.endpoint(UAC);
  const b = net.endpoint(UAS);
  const uac = new TransactionLayer(sim, a.transport, { onRequest: () => {} }, {}, 'uac');
  const uas = new TransactionLayer(sim, b.transport, {
    onRequest: (req, tx) => { if (tx instanceof InviteServerTransaction) tx.respond(createResponse(req, status, 'X', 'b')); },
  }, {}, 'uas');
  a.attach(uac.receive);
  b.attach(uas.receive);
  const delays: number[] = [];
  let timeouts = 0;
  for (let i = 0; i < n; i++) {
    sim.at(i * 0.1, () => {
      const start = sim.now();
      uac.sendRequest(invite(uac.newBranch(), i), UAS, {
        onResponse: (r) => { if (r.status >= 200) delays.push(sim.now() - start - 2 * net.latency); },
        onTimeout: () => { timeouts++; },
      });
    }, null);
  }
  sim.run();
  return { delays, timeouts, uac, uas };
}

test('10 % loss of INVITE copies: the mean extra delay is what Timer A doubling implies', (t) => {
  const p = 0.1;
  const n = 20000;
  const rng = new RandomStreams(20261122).stream('sip-loss');
  const { delays, timeouts, uac, uas } = run(n, 200, (what) => what === 'INVITE' && rng.chance(p));
  // copy k (k = 0..6) goes at t_k; it is the first delivered with probability p^k (1-p);
  // all seven lost (p^7) is a Timer B timeout, so condition on success
  const tk = [0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5];
  const ok = 1 - p ** tk.length;
  const mean = tk.reduce((s, x, k) => s + p ** k * (1 - p) * x, 0) / ok;
  const m2 = tk.reduce((s, x, k) => s + p ** k * (1 - p) * x * x, 0) / ok;
  const sd = Math.sqrt(m2 - mean * mean);
  const observed = delays.reduce((s, x) => s + x, 0) / delays.length;
  t.is(delays.length + timeouts, n);
  t.true(delays.length >= n - 2);
  const tol = 4 * sd / Math.sqrt(delays.length);
  t.log(`expected ${mean.toFixed(5)} s (sd ${sd.toFixed(3)}), observed ${observed.toFixed(5)} s, tolerance ${tol.toFixed(5)}`);
  t.true(Math.abs(observed - mean) < tol, `observed ${observed}, expected ${mean} ± ${tol}`);
  // every delay is exactly one of the t_k
  t.true(delays.every((d) => tk.some((x) => Math.abs(d - x) < 1e-6)));
  t.deepEqual(uac.size, { clients: 0, servers: 0 });
  t.deepEqual(uas.size, { clients: 0, servers: 0 });
});

test('10 % loss in both directions with 486 finals: every transaction completes and both sides end', (t) => {
  const rng = new RandomStreams(7).stream('sip-loss-both');
  const n = 5000;
  const { delays, timeouts, uac, uas } = run(n, 486, () => rng.chance(0.1));
  t.is(delays.length + timeouts, n);
  t.true(delays.length >= n - 2, `${timeouts} timeouts`);
  t.deepEqual(uac.size, { clients: 0, servers: 0 });
  t.deepEqual(uas.size, { clients: 0, servers: 0 });
});
