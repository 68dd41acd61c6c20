import test from 'ava';
import { Simulation } from '../kernel/simulation.js';
import { serialize } from './codec.js';
import type { SipRequest, SipResponse } from './message.js';
import { createResponse, serverKey, TransactionStateError } from './transaction.js';
import type { ClientTransaction } from './transaction-client.js';
import { FakeNetwork } from './transaction-fake-network.js';
import { TransactionLayer, type TransactionUser } from './transaction-layer.js';
import { InviteServerTransaction, type ServerTransaction } from './transaction-server.js';
import type { TimerOptions } from './timers.js';

const UAC = '10.0.0.1:5060';
const UAS = '10.0.0.2:5060';

function request(method: string, branch: string, callId = 'call-1', seq = 1): SipRequest {
  return {
    kind: 'request', method, uri: 'sip:12333@10.0.0.2',
    headers: [
      { name: 'Via', value: `SIP/2.0/UDP 10.0.0.1:5060;branch=${branch}` },
      { name: 'Max-Forwards', value: '70' },
      { name: 'From', value: '<sip:alice@10.0.0.1>;tag=a1' },
      { name: 'To', value: '<sip:12333@10.0.0.2>' },
      { name: 'Call-ID', value: callId },
      { name: 'CSeq', value: `${seq} ${method}` },
    ],
    body: '',
  };
}

interface Setup {
  sim: Simulation;
  net: FakeNetwork;
  uac: TransactionLayer;
  uas: TransactionLayer;
  requests: ServerTransaction[];
}

/** Two elements on one fake network; `onRequest` is the server TU (default: never answers). */
function setup(serverTu: Partial<TransactionUser> = {}, timers: TimerOptions = {}, withServer = true): Setup {
  const sim = new Simulation();
  const net = new FakeNetwork(sim);
  const a = net.endpoint(UAC);
  const b = net.endpoint(UAS);
  const requests: ServerTransaction[] = [];
  const uac = new TransactionLayer(sim, a.transport, { onRequest: () => {} }, timers, 'uac');
  const uas = new TransactionLayer(sim, b.transport, {
    ...serverTu,
    onRequest: (req, tx, cancels) => { requests.push(tx); serverTu.onRequest?.(req, tx, cancels); },
  }, timers, 'uas');
  a.attach(uac.receive);
  if (withServer) b.attach(uas.receive);
  return { sim, net, uac, uas, requests };
}

function sentTimes(net: FakeNetwork, what: string, from = UAC): number[] {
  return net.packets.filter((p) => p.what === what && p.from === from).map((p) => p.time);
}

test('INVITE with no answer: Timer A at 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s, Timer B at 32 s', (t) => {
  const { sim, net, uac } = setup({}, {}, false);
  let timedOut = -1;
  const tx = uac.sendRequest(request('INVITE', uac.newBranch()), UAS, {
    onResponse: () => t.fail(), onTimeout: () => { timedOut = sim.now(); },
  });
  sim.run();
  t.deepEqual(sentTimes(net, 'INVITE'), [0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5]);
  t.is(timedOut, 32);
  t.is(tx.state, 'Terminated');
  t.deepEqual(uac.size, { clients: 0, servers: 0 });
  t.is(sim.pending, 0);
});

test('non-INVITE with no answer: Timer E doubles up to T2 = 4 s, Timer F at 32 s', (t) => {
  const { sim, net, uac } = setup({}, {}, false);
  let timedOut = -1;
  uac.sendRequest(request('OPTIONS', uac.newBranch()), UAS, { onResponse: () => t.fail(), onTimeout: () => { timedOut = sim.now(); } });
  sim.run();
  t.deepEqual(sentTimes(net, 'OPTIONS'), [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5]);
  t.is(timedOut, 32);
});

test('timers scale with T1/T2 and vanish over a reliable transport', (t) => {
  const s1 = setup({}, { t1: 0.1, t2: 0.4 }, false);
  s1.uac.sendRequest(request('OPTIONS', s1.uac.newBranch()), UAS, { onResponse: () => {} });
  s1.sim.run();
  t.deepEqual(sentTimes(s1.net, 'OPTIONS').map((x) => Math.round(x * 1000) / 1000).slice(0, 5), [0, 0.1, 0.3, 0.7, 1.1]);
  const s2 = setup({}, { reliable: true }, false);
  let timedOut = -1;
  s2.uac.sendRequest(request('INVITE', s2.uac.newBranch()), UAS, { onResponse: () => {}, onTimeout: () => { timedOut = s2.sim.now(); } });
  s2.sim.run();
  t.deepEqual(sentTimes(s2.net, 'INVITE'), [0]);
  t.is(timedOut, 32);
});

test('486: the client transaction ACKs it, re-ACKs the retransmission, the server stops on ACK', (t) => {
  const { sim, net, uac, requests } = setup({
    onRequest: (req, tx) => { if (tx instanceof InviteServerTransaction) tx.respond(createResponse(req, 486, 'Busy Here', 'b1')); },
  });
  // the first ACK is lost, so the server must retransmit its 486 on Timer G
  let acks = 0;
  net.drop = (p) => p.what === 'ACK' && acks++ === 0;
  const seen: number[] = [];
  const tx = uac.sendRequest(request('INVITE', uac.newBranch()), UAS, { onResponse: (r) => seen.push(r.status) });
  sim.run(1);
  t.deepEqual(seen, [486], 'the TU sees the final once');
  const server = requests[0] as InviteServerTransaction;
  t.is(server.state, 'Confirmed');
  t.is(tx.state, 'Completed');
  // 486 at 0.01, G retransmit at 0.51 (0.01 + T1), then no more: the ACK arrived
  const finals = sentTimes(net, '486 INVITE', UAS);
  t.is(finals.length, 2);
  t.true(Math.abs(finals[1]! - 0.51) < 1e-9);
  t.is(sentTimes(net, 'ACK').length, 2);
  const ack = net.packets.find((p) => p.what === 'ACK')!.message as SipRequest;
  t.is(ack.uri, 'sip:12333@10.0.0.2');
  t.true(ack.headers.some((h) => h.name === 'To' && h.value.endsWith(';tag=b1')), 'ACK carries the To tag of the response (§17.1.1.3)');
  t.true(ack.headers.some((h) => h.name === 'CSeq' && h.value === '1 ACK'));
  sim.run();
  t.is(sentTimes(net, '486 INVITE', UAS).length, 2);
  t.is(server.state, 'Terminated');
  t.is(tx.state, 'Terminated');
  t.true(Math.abs(sim.now() - (0.02 + 32)) < 1e-9, 'Timer D (32 s from the 486 arriving) is the last timer');
});

test('a 486 never ACKed: Timer G doubles to T2, Timer H ends it at 64·T1', (t) => {
  let timeouts = 0;
  const { sim, net, uac } = setup({
    onRequest: (req, tx) => { if (tx instanceof InviteServerTransaction) tx.respond(createResponse(req, 486, 'Busy Here', 'b1')); },
    onServerTimeout: () => { timeouts++; },
  });
  net.drop = (p) => p.what === 'ACK';
  uac.sendRequest(request('INVITE', uac.newBranch()), UAS, { onResponse: () => {} });
  sim.run();
  const finals = sentTimes(net, '486 INVITE', UAS).map((x) => Math.round((x - 0.01) * 1000) / 1000);
  t.deepEqual(finals, [0, 0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5]);
  t.is(timeouts, 1);
});

test('lost 200 OK: the INVITE server transaction is gone, so the retransmitted INVITE reaches the TU (2xx retransmission is the TU job, RFC 3261 §13.3.1.4)', (t) => {
  const { sim, net, uac, uas, requests } = setup({
    onRequest: (req, tx) => { if (tx instanceof InviteServerTransaction) tx.respond(createResponse(req, 200, 'OK', 'b1')); },
  });
  let oks = 0;
  net.drop = (p) => p.what === '200 INVITE' && oks++ === 0;
  let answered = -1;
  const tx = uac.sendRequest(request('INVITE', uac.newBranch()), UAS, { onResponse: (r) => { if (r.status === 200) answered = sim.now(); } });
  sim.run();
  t.is(requests.length, 2, 'a TU must recognise the retransmission itself (§8.2.2.2)');
  t.true(Math.abs(answered - 0.52) < 1e-9, 'retransmission at 0.5 s + two hops');
  t.is(tx.state, 'Terminated');
  t.deepEqual(uas.size, { clients: 0, servers: 0 }, 'a 2xx terminates the INVITE server transaction at once');
});

test('a 2xx retransmission after the INVITE client transaction ended goes to the TU', (t) => {
  const sim = new Simulation();
  const net = new FakeNetwork(sim);
  const a = net.endpoint(UAC);
  const stray: SipResponse[] = [];
  const uac = new TransactionLayer(sim, a.transport, { onRequest: () => {}, onStrayResponse: (r) => stray.push(r) });
  a.attach(uac.receive);
  const inv = request('INVITE', uac.newBranch());
  uac.sendRequest(inv, UAS, { onResponse: () => {} });
  const ok = createResponse(inv, 200, 'OK', 'b1');
  uac.receive(ok, UAS);
  uac.receive(ok, UAS);
  t.is(stray.length, 1);
});

test('the INVITE server sends 100 Trying after 200 ms unless the TU answered; it resends its last response to a retransmission', (t) => {
  const { sim, net, uac, requests } = setup({});
  net.drop = (p) => p.what === '100 INVITE' && p.time < 0.3; // the first 100 Trying is lost
  uac.sendRequest(request('INVITE', uac.newBranch()), UAS, { onResponse: () => {} });
  sim.run(2);
  t.is(requests.length, 1, 'the retransmitted INVITE is absorbed');
  const trying = sentTimes(net, '100 INVITE', UAS);
  t.is(trying.length, 2);
  t.true(Math.abs(trying[0]! - 0.21) < 1e-9);
  t.true(Math.abs(trying[1]! - 0.51) < 1e-9, 'resent on the INVITE retransmission at 0.5 s');
  t.deepEqual(sentTimes(net, 'INVITE'), [0, 0.5], 'the client stops Timer A on the provisional');

  const quick = setup({ onRequest: (req, tx) => { (tx as InviteServerTransaction).respond(createResponse(req, 180, 'Ringing', 'b1')); } });
  quick.uac.sendRequest(request('INVITE', quick.uac.newBranch()), UAS, { onResponse: () => {} });
  quick.sim.run(2);
  t.deepEqual(sentTimes(quick.net, '100 INVITE', UAS), []);
  t.is(sentTimes(quick.net, '180 INVITE', UAS).length, 1);
});

test('the non-INVITE server discards retransmissions in Trying and resends its last response after', (t) => {
  const { sim, net, uac, requests } = setup({
    onRequest: (req, tx) => {
      sim.after(0.59, () => tx.respond(createResponse(req, 100, 'Trying')), null);
      sim.after(2, () => tx.respond(createResponse(req, 200, 'OK', 'b1')), null);
    },
  });
  let oks = 0;
  net.drop = (p) => p.what === '200 OPTIONS' && oks++ === 0;
  const seen: number[] = [];
  const tx = uac.sendRequest(request('OPTIONS', uac.newBranch()), UAS, { onResponse: (r) => seen.push(r.status) });
  sim.run(8);
  t.is(requests.length, 1);
  // the copy sent at 0.5 reaches a server still in Trying: discarded. The client is in
  // Proceeding from 0.61; E at 1.5 retransmits (answered with the 100 again) and resets to T2
  // (§17.1.2.2), so the next copy goes at 5.5 and gets the (first lost) 200 resent
  t.deepEqual(sentTimes(net, 'OPTIONS'), [0, 0.5, 1.5, 5.5]);
  t.deepEqual(sentTimes(net, '100 OPTIONS', UAS).map((x) => Math.round(x * 100) / 100), [0.6, 1.51]);
  t.deepEqual(sentTimes(net, '200 OPTIONS', UAS).map((x) => Math.round(x * 100) / 100), [2.01, 5.51]);
  // the resent 200 comes from the text the transaction kept of the first: the same message
  const finals = net.packets.filter((p) => p.what === '200 OPTIONS').map((p) => serialize(p.message));
  t.is(finals.length, 2);
  t.is(finals[1], finals[0]);
  t.regex(finals[0]!, /^SIP\/2\.0 200 OK\r\n/);
  t.deepEqual(seen, [100, 100, 200], 'provisionals in Proceeding are passed up, the retransmitted final is not');
  t.is(tx.state, 'Completed');
  sim.run();
  t.is(tx.state, 'Terminated');
});

test('illegal transitions throw TransactionStateError citing the RFC section', (t) => {
  const received: SipRequest[] = [];
  const { sim, uac, requests } = setup({
    onRequest: (req, tx) => {
      received.push(req);
      tx.respond(createResponse(req, 486, 'Busy Here', 'b1'));
    },
  });
  uac.sendRequest(request('INVITE', uac.newBranch()), UAS, { onResponse: () => {} });
  uac.sendRequest(request('OPTIONS', uac.newBranch(), 'call-2'), UAS, { onResponse: () => {} });
  sim.run(0.1);
  const inv = requests[0]!;
  const e1 = t.throws(() => inv.respond(createResponse(received[0]!, 200, 'OK')), { instanceOf: TransactionStateError });
  t.regex(e1.message, /INVITE server transaction .*cannot send 200 in state Confirmed; RFC 3261 §17\.2\.1 allows it only in Proceeding/);
  const opt = requests[1]!;
  t.is(opt.request, null, 'a completed non-INVITE server transaction keeps only its final response\'s text');
  const e2 = t.throws(() => opt.respond(createResponse(received[1]!, 200, 'OK')), { instanceOf: TransactionStateError });
  t.is(e2.section, '17.2.2');
});

test('CANCEL is its own transaction and is matched to the INVITE server transaction (§9.2); ACK of a 2xx goes to the TU', (t) => {
  let cancelled: InviteServerTransaction | undefined;
  const acks: SipRequest[] = [];
  const { sim, uac } = setup({
    onRequest: (req, tx, cancels) => {
      if (req.method === 'CANCEL') {
        cancelled = cancels;
        tx.respond(createResponse(req, 200, 'OK'));
        cancels?.respond(createResponse(cancels.request, 487, 'Request Terminated', 'b1'));
      }
    },
    onAck: (ack) => acks.push(ack),
  });
  const branch = uac.newBranch();
  const invite = request('INVITE', branch);
  const seen: string[] = [];
  const user = { onResponse: (r: SipResponse, tx: ClientTransaction) => seen.push(`${r.status} ${tx.request.method}`) };
  uac.sendRequest(invite, UAS, user);
  sim.run(1);
  uac.sendRequest(request('CANCEL', branch), UAS, user);
  sim.run(2);
  t.is(cancelled?.id, serverKey(invite));
  t.deepEqual(seen, ['100 INVITE', '200 CANCEL', '487 INVITE']);
  t.is(cancelled?.state, 'Confirmed', 'the transaction ACK of the 487 matched the INVITE server transaction');
  t.deepEqual(acks, []);
  // an ACK with another branch (as for a 2xx) matches nothing and reaches the TU
  setupAckToTu(t);
});

function setupAckToTu(t: import('ava').ExecutionContext): void {
  const acks: string[] = [];
  const { sim, net, uas } = setup({ onAck: (ack) => acks.push(ack.method) });
  net.endpoint(UAC).transport.send(request('ACK', 'z9hG4bK-2xx-ack'), UAS);
  sim.run();
  t.deepEqual(acks, ['ACK']);
  t.deepEqual(uas.size, { clients: 0, servers: 0 });
}

test('messages without an RFC 3261 branch are discarded with a reason', (t) => {
  const reasons: string[] = [];
  const { sim, net } = setup({ onDiscard: (_m, _f, e) => reasons.push(e.name) });
  net.endpoint(UAC).transport.send(request('OPTIONS', 'old2543branch'), UAS);
  sim.run();
  t.deepEqual(reasons, ['TransactionMatchError']);
});
