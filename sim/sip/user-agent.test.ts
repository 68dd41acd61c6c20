import test from 'ava';
import { distribution } from '../kernel/distributions.js';
import { Simulation } from '../kernel/simulation.js';
import { header } from './headers.js';
import { MemoryNetwork } from './memory-transport.js';
import type { SipMessage } from './message.js';
import { SipCall, UserAgent, type SipCallEvents } from './user-agent.js';

const A = '192.0.2.1:5060';
const B = '192.0.2.2:5060';

function what(m: SipMessage): string {
  return m.kind === 'request' ? m.method : `${m.status} ${header(m, 'CSeq')?.split(' ')[1]}`;
}

interface Log { readonly t: number; readonly e: string }

/** A caller UA at A and a hotline UA at B on a loss-free network with 10 ms latency. */
function pair(onInvite: (call: SipCall<string>, log: (e: string) => void) => void, latency = 0.01) {
  const sim = new Simulation();
  const net = new MemoryNetwork(sim, { latency: latency > 0 ? distribution({ kind: 'constant', value: latency }) : null, loss: 0, rng: null });
  const log: Log[] = [];
  const wire: string[] = [];
  const push = (e: string): void => { log.push({ t: Math.round(sim.now() * 1000) / 1000, e }); };
  const events: SipCallEvents<string> = {
    progress: (c, s) => push(`${c.role} progress ${s}`),
    answered: (c) => push(`${c.role} answered`),
    failed: (c, s) => push(`${c.role} failed ${s}`),
    confirmed: (c) => push(`${c.role} confirmed`),
    cancelled: (c) => push(`${c.role} cancelled`),
    dtmf: (c, k) => push(`${c.role} dtmf ${k}`),
    infoAnswered: (c, s) => push(`${c.role} info ${s}`),
    referred: (c, to) => push(`${c.role} referred ${to}`),
    ended: (c, by) => push(`${c.role} ended ${by}`),
  };
  const caller: UserAgent<string> = new UserAgent<string>(sim, net.endpoint(A, (m, f) => { wire.push(`B>A ${what(m)}`); caller.receive(m, f); }), { address: A, name: 'c' });
  const hotline: UserAgent<string> = new UserAgent<string>(sim, net.endpoint(B, (m, f) => { wire.push(`A>B ${what(m)}`); hotline.receive(m, f); }), { address: B, name: 'h' }, {
    invite: (call) => {
      call.events = events;
      onInvite(call, push);
    },
  });
  const dial = (): SipCall<string> => caller.call('sip:12333@192.0.2.2', B, '02088887777', events, 'x');
  return { sim, net, log, wire, caller, hotline, dial };
}

test('INVITE, 180, 200, ACK; DTMF by INFO in both content types; the hotline hangs up', (t) => {
  let uas: SipCall<string> | undefined;
  const p = pair((call) => {
    uas = call;
    call.ring();
    p.sim.after(1.5, () => call.accept(), undefined);
  });
  const c = p.dial();
  p.sim.after(2, () => c.sendDtmf('5'), undefined);
  p.sim.after(2.5, () => c.sendDtmf('#', 'application/dtmf'), undefined);
  p.sim.after(3, () => uas!.hangup(), undefined);
  p.sim.run(100);
  t.deepEqual(p.log, [
    { t: 0.02, e: 'uac progress 180' },
    { t: 1.52, e: 'uac answered' },
    { t: 1.53, e: 'uas confirmed' },
    { t: 2.01, e: 'uas dtmf 5' },
    { t: 2.02, e: 'uac info 200' },
    { t: 2.51, e: 'uas dtmf #' },
    { t: 2.52, e: 'uac info 200' },
    { t: 3, e: 'uas ended local' },
    { t: 3.01, e: 'uac ended remote' },
  ]);
  t.deepEqual(p.wire, ['A>B INVITE', 'B>A 180 INVITE', 'B>A 200 INVITE', 'A>B ACK', 'A>B INFO', 'B>A 200 INFO', 'A>B INFO', 'B>A 200 INFO', 'B>A BYE', 'A>B 200 BYE']);
  t.is(p.caller.size, 0);
  t.is(p.hotline.size, 0);
  t.deepEqual(p.caller.layer.size, { clients: 0, servers: 0 }, 'every transaction ended on its timers');
  t.deepEqual(p.hotline.layer.size, { clients: 0, servers: 0 });
});

test('the caller hangs up with BYE', (t) => {
  const p = pair((call) => call.accept());
  const c = p.dial();
  p.sim.after(5, () => c.hangup(), undefined);
  p.sim.run(100);
  t.deepEqual(p.log.map((l) => l.e), ['uac answered', 'uas confirmed', 'uac ended local', 'uas ended remote']);
  t.is(c.state, 'terminated');
});

test('CANCEL while ringing: 200 to the CANCEL, 487 to the INVITE, ACKed by the transaction', (t) => {
  const p = pair((call) => call.ring());
  const c = p.dial();
  p.sim.after(3, () => c.hangup(), undefined);
  p.sim.run(100);
  t.deepEqual(p.log.map((l) => l.e), ['uac progress 180', 'uas cancelled', 'uac failed 487']);
  t.deepEqual(p.wire, ['A>B INVITE', 'B>A 180 INVITE', 'A>B CANCEL', 'B>A 200 CANCEL', 'B>A 487 INVITE', 'A>B ACK']);
  t.is(p.hotline.size, 0);
});

test('a CANCEL before any provisional waits for one (RFC 3261 §9.1): here the 100 Trying after 200 ms', (t) => {
  const p = pair(() => undefined);
  const c = p.dial();
  p.sim.after(0.05, () => c.hangup(), undefined);
  p.sim.run(100);
  t.deepEqual(p.wire.slice(0, 4), ['A>B INVITE', 'B>A 100 INVITE', 'A>B CANCEL', 'B>A 200 CANCEL']);
  const cancelAt = p.log.find((l) => l.e === 'uas cancelled')!.t;
  t.true(cancelAt > 0.2, `CANCEL reached the hotline at ${cancelAt} s, after the 100 Trying`);
  t.deepEqual(p.log.map((l) => l.e), ['uac progress 100', 'uas cancelled', 'uac failed 487']);
});

for (const [status, reason] of [[486, 'Busy Here'], [503, 'Service Unavailable']] as const) {
  test(`trunks full: ${status} ${reason}`, (t) => {
    const p = pair((call) => call.reject(status, reason));
    p.dial();
    p.sim.run(100);
    t.deepEqual(p.log.map((l) => l.e), [`uac failed ${status}`]);
    t.deepEqual(p.wire, ['A>B INVITE', `B>A ${status} INVITE`, 'A>B ACK']);
  });
}

test('transfer: the hotline REFERs the caller elsewhere (Refer-Sub: false), the caller accepts with 202 and hangs up', (t) => {
  const p = pair((call) => {
    call.accept();
    p.sim.after(1, () => call.refer('sip:12333@0755.example.gov'), undefined);
  });
  const c = p.dial();
  c.events = { ...c.events, referred: (call, to) => { p.log.push({ t: p.sim.now(), e: `uac referred ${to}` }); call.hangup(); } };
  p.sim.run(100);
  t.deepEqual(p.log.map((l) => l.e), ['uac answered', 'uas confirmed', 'uac referred sip:12333@0755.example.gov', 'uac ended local', 'uas ended remote']);
  t.true(p.wire.includes('A>B 202 REFER'));
});

test('a lost ACK: the hotline retransmits its 200 after T1 and the caller ACKs again', (t) => {
  const p = pair((call) => call.accept());
  let acks = 0;
  p.net.drop = (m) => m.kind === 'request' && m.method === 'ACK' && ++acks === 1;
  p.dial();
  p.sim.run(100);
  t.deepEqual(p.wire, ['A>B INVITE', 'B>A 200 INVITE', 'B>A 200 INVITE', 'A>B ACK']);
  const confirmed = p.log.find((l) => l.e === 'uas confirmed')!;
  t.is(confirmed.t, 0.53, 'confirmed after one T1 (0.5 s) plus the round trip');
});

test('a confirmed call keeps no INVITE: the caller lets it go once it ACKs, the hotline once the ACK arrives', (t) => {
  let uas: SipCall<string> | undefined;
  const p = pair((call) => {
    uas = call;
    call.ring();
    p.sim.after(1, () => {
      t.not(call.invite, null, 'held while the INVITE may still be answered');
      call.accept();
      t.not(call.invite, null, 'held until the ACK: the 2xx may have to be sent again');
    }, undefined);
  });
  const c = p.dial();
  p.sim.run(1.005);
  t.not(c.invite, null, 'the caller holds its INVITE until the 2xx (a CANCEL would copy it)');
  p.sim.run(100);
  t.deepEqual(p.log.map((l) => l.e), ['uac progress 180', 'uac answered', 'uas confirmed']);
  t.is(c.invite, null);
  t.is(uas!.invite, null);
  t.is(uas!.inviteUri, 'sip:12333@192.0.2.2');
  t.is(uas!.inviteSeq, 1);
  // the dialog still works from what it kept
  c.sendDtmf('7');
  p.sim.run(200);
  uas!.hangup();
  p.sim.run(300);
  t.deepEqual(p.log.map((l) => l.e).slice(3), ['uas dtmf 7', 'uac info 200', 'uas ended local', 'uac ended remote']);
});

test('the INVITE again after a lost 200 (RFC 6026): answered 200 from the new copy with the dialog\'s tag, ACKed once more', (t) => {
  const p = pair((call) => call.accept());
  let oks = 0;
  p.net.drop = (m) => m.kind === 'response' && m.status === 200 && ++oks === 1;
  const c = p.dial();
  p.sim.run(100);
  // at 0.51 s both the INVITE again (Timer A) and the hotline's own retransmission (T1) arrive:
  // two 200s, the first of them the answer to the INVITE again (a 481 would show here)
  t.deepEqual(p.wire, ['A>B INVITE', 'A>B INVITE', 'B>A 200 INVITE', 'B>A 200 INVITE', 'A>B ACK', 'A>B ACK']);
  t.deepEqual(p.log.map((l) => l.e), ['uac answered', 'uas confirmed']);
  const uas = p.hotline.live()[0]!;
  t.is(c.remoteTag, uas.localTag, 'the 200 sent for the INVITE again carries the tag of the dialog');
  t.is(uas.invite, null);
});

test('a 200 never ACKed: retransmitted at T1 doubling to T2, then after 64·T1 the hotline sends BYE (§13.3.1.4)', (t) => {
  const p = pair((call) => call.accept());
  p.net.drop = (m) => m.kind === 'request' && m.method === 'ACK';
  p.dial();
  p.sim.run(100);
  const oks = p.wire.filter((w) => w === 'B>A 200 INVITE').length;
  // sent at 0, then 0.5, 1.5, 3.5, 7.5 (doubling), 11.5, 15.5, ..., 31.5 (every T2 = 4 s): 11 copies; given up at 32 s
  t.is(oks, 11);
  t.deepEqual(p.log.map((l) => l.e), ['uac answered', 'uas ended error', 'uac ended remote']);
  t.is(p.log[1]!.t, 32.01, '64·T1 after the 200 was first sent (the INVITE arrived at 0.01 s)');
});

test('nobody there: Timer B ends the call with 408 after 64·T1', (t) => {
  const p = pair(() => undefined);
  const c = p.caller.call('sip:12333@192.0.2.9', '192.0.2.9:5060', 'x', { failed: (_c, s) => p.log.push({ t: p.sim.now(), e: `failed ${s}` }) });
  p.sim.run(100);
  t.deepEqual(p.log, [{ t: 32, e: 'failed 408' }]);
  t.is(c.state, 'terminated');
  t.is(p.net.stats.unroutable, 7, 'the INVITE went out 7 times: 0, 0.5, 1.5, 3.5, 7.5, 15.5, 31.5 s');
});

test('an INFO the hotline cannot read gets 415 (unknown type) or 400 (no key); out-of-dialog requests get 481 or 405', (t) => {
  const p = pair((call) => call.accept());
  const c = p.dial();
  p.sim.after(1, () => p.caller.inDialog(c, 'INFO', [{ name: 'Content-Type', value: 'text/plain' }], 'hello'), undefined);
  p.sim.after(1.1, () => p.caller.inDialog(c, 'INFO', [{ name: 'Content-Type', value: 'application/dtmf-relay' }], 'Signal=x\r\n'), undefined);
  p.sim.after(1.2, () => p.caller.inDialog(c, 'MESSAGE', []), undefined);
  p.sim.run(100);
  t.deepEqual(p.wire.filter((w) => w.startsWith('B>A 4')), ['B>A 415 INFO', 'B>A 400 INFO', 'B>A 405 MESSAGE']);
});

test('an in-dialog request finds its call only by both its Call-ID and our tag: another call\'s tag of ours, a foreign tag or another Call-ID get 481', (t) => {
  const legs: SipCall<string>[] = [];
  const p = pair((call) => {
    legs.push(call);
    call.accept();
  });
  const c1 = p.dial();
  const c2 = p.dial();
  p.sim.run(1);
  t.is(legs.length, 2);
  // a BYE as the caller would send it in dialog `c`, with To (our tag) and Call-ID as given
  let n = 0;
  const bye = (c: SipCall<string>, to: string, callId: string) => {
    const headers = [
      { name: 'Via', value: `SIP/2.0/UDP ${A};branch=z9hG4bK-test-${++n}` },
      { name: 'From', value: c.localParty }, { name: 'To', value: to }, { name: 'Call-ID', value: callId },
      { name: 'CSeq', value: '9 BYE' }, { name: 'Max-Forwards', value: '70' },
    ];
    p.caller.layer.send({ kind: 'request', method: 'BYE', uri: c.remoteTarget, headers, body: '' }, B);
    p.sim.run(p.sim.now() + 1);
  };
  const withTag = (party: string, tag: string) => party.replace(/;tag=.*$/, `;tag=${tag}`);
  bye(c1, withTag(c1.remoteParty, legs[1]!.localTag), c1.callId); // a tag of ours, but of the other call
  bye(c1, withTag(c1.remoteParty, 'zz9'), c1.callId); // nobody's tag
  bye(c1, withTag(c1.remoteParty, `${legs[0]!.localTag}0`), c1.callId); // our prefix, another number
  bye(c1, c1.remoteParty, c2.callId); // the right tag, the other call's Call-ID
  t.deepEqual(p.wire.filter((w) => w.startsWith('B>A') && w.endsWith('BYE')), ['B>A 481 BYE', 'B>A 481 BYE', 'B>A 481 BYE', 'B>A 481 BYE']);
  t.is(p.hotline.size, 2);
  bye(c1, c1.remoteParty, c1.callId);
  t.is(p.wire.filter((w) => w.startsWith('B>A') && w.endsWith('BYE')).at(-1), 'B>A 200 BYE');
  t.is(p.hotline.size, 1);
  t.deepEqual(p.hotline.live(), [legs[1]]);
});
