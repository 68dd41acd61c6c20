// The JsSIP dialer (the jssip engine of `callsim load`) against a tiny test-only UAS built on
// WsServerTransport + TransactionLayer, many calls at once; and its target parser.

import test from 'ava';
import { isLoopback } from '../../../bin/loopback.js';
import { RandomStreams } from '../../kernel/random.js';
import { WallClockScheduler } from '../../kernel/wall-clock.js';
import { LoadRun, type LoadDialer } from '../../metrics/load-run.js';
import { contactUri, header } from '../headers.js';
import type { SipRequest, SipResponse } from '../message.js';
import { createResponse } from '../transaction.js';
import { TransactionLayer } from '../transaction-layer.js';
import { eventually, runChild } from '../transport-test-kit.js';
import { WsServerTransport } from '../ws-transport.js';
import { fixedSdp } from './fake-webrtc.js';
import { JsSipDialer, parseWsTarget, WsTargetError, type JsSipCallEvents, type JsSipDialedCall } from './jssip-dialer.js';

interface UasOptions {
  /** Seconds between 180 and 200. */
  readonly ringFor?: number;
  /** Answer every INVITE with this final status instead. */
  readonly reject?: number;
  /** Never answer the INVITE at all (not even 100). */
  readonly silent?: boolean;
  /** Status of the answer to INFO. Default 200. */
  readonly infoStatus?: number;
  /** Hang up (BYE) a call after this many INFOs on it. */
  readonly hangUpAfterInfos?: number;
}

interface Dialog {
  readonly invite: SipRequest;
  readonly tag: string;
  readonly peer: string;
  infos: number;
}

interface TinyUas {
  readonly srv: WsServerTransport;
  readonly seen: SipRequest[];
  readonly byeAnswers: SipResponse[];
  /** The `ws:<n>` connection each INVITE came on. */
  readonly invitesBy: Map<string, number>;
  /** Calls the JsSIP user agent on connection `peer` (`ws:<n>`); resolves with its final answer. */
  callBack(peer: string): Promise<SipResponse>;
  close(): Promise<void>;
}

async function tinyUas(o: UasOptions = {}): Promise<TinyUas> {
  const clock = new WallClockScheduler();
  const seen: SipRequest[] = [];
  const byeAnswers: SipResponse[] = [];
  const invitesBy = new Map<string, number>();
  const dialogs = new Map<string, Dialog>();
  let layer: TransactionLayer | undefined;
  const srv = await WsServerTransport.listen({ onMessage: (m, from) => layer!.receive(m, from) });
  const hangUp = (d: Dialog): void => {
    const bye: SipRequest = {
      kind: 'request', method: 'BYE', uri: contactUri(d.invite)!,
      headers: [
        { name: 'Via', value: `${srv.via};branch=${layer!.newBranch()}` },
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: `${header(d.invite, 'To')!};tag=${d.tag}` },
        { name: 'To', value: header(d.invite, 'From')! },
        { name: 'Call-ID', value: header(d.invite, 'Call-ID')! },
        { name: 'CSeq', value: '1 BYE' },
      ],
      body: '',
    };
    layer!.sendRequest(bye, d.peer, { onResponse: (r) => byeAnswers.push(r) });
  };
  layer = new TransactionLayer(clock, srv, {
    onRequest: (req, tx, cancels) => {
      seen.push(req);
      const callId = header(req, 'Call-ID')!;
      switch (req.method) {
        case 'INVITE': {
          invitesBy.set(tx.from, (invitesBy.get(tx.from) ?? 0) + 1);
          const d: Dialog = { invite: req, tag: `uas${seen.length}`, peer: tx.from, infos: 0 };
          dialogs.set(callId, d);
          if (o.silent) return;
          if (o.reject !== undefined) return tx.respond(createResponse(req, o.reject, 'Busy Here', d.tag));
          tx.respond(createResponse(req, 180, 'Ringing', d.tag));
          clock.after(o.ringFor ?? 0.02, () => {
            if (tx.state !== 'Proceeding') return; // cancelled meanwhile
            const ok = createResponse(req, 200, 'OK', d.tag);
            tx.respond({
              ...ok,
              headers: [...ok.headers, { name: 'Contact', value: `<sip:12333@${srv.address};transport=ws>` }, { name: 'Content-Type', value: 'application/sdp' }],
              body: fixedSdp(12333),
            });
          }, undefined);
          return;
        }
        case 'INFO': {
          const status = o.infoStatus ?? 200;
          tx.respond(createResponse(req, status, status === 200 ? 'OK' : 'Error'));
          const d = dialogs.get(callId)!;
          if (++d.infos === o.hangUpAfterInfos) hangUp(d);
          return;
        }
        case 'CANCEL':
          tx.respond(createResponse(req, 200, 'OK'));
          if (cancels?.state === 'Proceeding') cancels.respond(createResponse(cancels.request, 487, 'Request Terminated', dialogs.get(callId)?.tag));
          return;
        default:
          tx.respond(createResponse(req, req.method === 'BYE' ? 200 : 405, req.method === 'BYE' ? 'OK' : 'Method Not Allowed'));
      }
    },
    onAck: (ack) => { seen.push(ack); },
  }, { reliable: true }, 'uas');
  const callBack = (peer: string): Promise<SipResponse> => new Promise((resolve) => {
    const invite: SipRequest = {
      kind: 'request', method: 'INVITE', uri: 'sip:callsim@callsim.invalid;transport=ws',
      headers: [
        { name: 'Via', value: `${srv.via};branch=${layer!.newBranch()}` },
        { name: 'Max-Forwards', value: '70' },
        { name: 'From', value: '<sip:12333@127.0.0.1>;tag=back1' },
        { name: 'To', value: '<sip:callsim@callsim.invalid>' },
        { name: 'Call-ID', value: 'callback-1' },
        { name: 'CSeq', value: '1 INVITE' },
        { name: 'Contact', value: `<sip:12333@${srv.address};transport=ws>` },
        { name: 'Content-Type', value: 'application/sdp' },
      ],
      body: fixedSdp(7),
    };
    layer!.sendRequest(invite, peer, { onResponse: (r) => { if (r.status >= 200) resolve(r); } });
  });
  return { srv, seen, byeAnswers, invitesBy, callBack, close: async () => { clock.close(); await srv.close(); } };
}

/** The load run's per-call state (private to load-run.ts), as its constructor's dialer carries it. */
type RunState = ConstructorParameters<typeof LoadRun>[1] extends LoadDialer<infer S> ? S : never;

type Heard = { call: JsSipDialedCall<number>; what: string; at: number };

/** Events as `name[:detail]` strings per call (its data), in order. */
function recorder(): { events: JsSipCallEvents<number>; log: Heard[]; of(n: number): string[] } {
  const log: Heard[] = [];
  const add = (call: JsSipDialedCall<number>, what: string): void => { log.push({ call, what, at: performance.now() }); };
  return {
    log,
    of: (n) => log.filter((h) => h.call.data === n).map((h) => h.what),
    events: {
      progress: (c, s) => add(c, `progress:${s}`),
      answered: (c) => add(c, 'answered'),
      failed: (c, s, r) => add(c, `failed:${s}:${r}`),
      infoAnswered: (c, s) => add(c, `info:${s}`),
      ended: (c, by) => add(c, `ended:${by}`),
    },
  };
}

const methods = (u: TinyUas): string[] => u.seen.map((r) => r.method);

test('the dialer has the shape the load run drives', (t) => {
  // a compile-time check: the dialer is a LoadDialer without casts
  const d: LoadDialer<number> = new JsSipDialer<number>({ connections: 1 });
  t.is(typeof d.call, 'function');
  t.throws(() => new JsSipDialer({ connections: 0 }), { instanceOf: RangeError });
});

test('a call: 180, answer, a DTMF INFO acknowledged, our BYE; From carries the calling number', async (t) => {
  const uas = await tinyUas();
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(async () => { await dialer.close(); await uas.close(); });
  const r = recorder();
  const call = dialer.call(`sip:12333@${uas.srv.address}`, uas.srv.url, '043155501', r.events, 1);
  t.is(call.state, 'calling');
  await eventually(() => call.state === 'confirmed', 3000, 'the answer');
  call.sendDtmf('5');
  await eventually(() => r.of(1).includes('info:200'), 3000, 'the INFO answer');
  call.hangup();
  t.is(call.state, 'terminated');
  t.deepEqual(r.of(1), ['progress:180', 'answered', 'info:200', 'ended:local']);
  await eventually(() => methods(uas).includes('BYE'), 3000, 'the BYE');
  t.deepEqual(methods(uas), ['INVITE', 'ACK', 'INFO', 'BYE']);
  const invite = uas.seen[0]!;
  t.regex(header(invite, 'From')!, /<sip:043155501@callsim\.invalid>/);
  t.is(invite.uri, `sip:12333@${uas.srv.address}`);
  t.regex(uas.seen[2]!.body, /^Signal=5\r\nDuration=100/);
  t.is(header(uas.seen[2]!, 'Content-Type'), 'application/dtmf-relay');
  t.like(dialer.stats, { calls: 1, live: 0, connected: 1 });
});

test('an INFO refused: infoAnswered carries the status', async (t) => {
  const uas = await tinyUas({ infoStatus: 500 });
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(async () => { await dialer.close(); await uas.close(); });
  const r = recorder();
  const call = dialer.call('sip:12333@127.0.0.1', uas.srv.url, '0431', r.events, 1);
  await eventually(() => call.state === 'confirmed', 3000, 'the answer');
  call.sendDtmf('1');
  await eventually(() => r.of(1).some((e) => e.startsWith('info:')), 3000, 'the INFO answer');
  t.deepEqual(r.of(1), ['progress:180', 'answered', 'info:500']);
});

test('the far end hangs up: ended remote', async (t) => {
  const uas = await tinyUas({ hangUpAfterInfos: 1 });
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(async () => { await dialer.close(); await uas.close(); });
  const r = recorder();
  const call = dialer.call('sip:12333@127.0.0.1', uas.srv.url, '0431', r.events, 1);
  await eventually(() => call.state === 'confirmed', 3000, 'the answer');
  call.sendDtmf('0');
  await eventually(() => call.state === 'terminated', 3000, 'the BYE');
  t.deepEqual(r.of(1), ['progress:180', 'answered', 'info:200', 'ended:remote']);
  await eventually(() => uas.byeAnswers.length === 1, 3000, 'the 200 to BYE');
  t.is(uas.byeAnswers[0]!.status, 200);
});

test('a refusal: failed with the final status and JsSIP cause', async (t) => {
  const uas = await tinyUas({ reject: 486 });
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(async () => { await dialer.close(); await uas.close(); });
  const r = recorder();
  const call = dialer.call('sip:12333@127.0.0.1', uas.srv.url, '0431', r.events, 1);
  await eventually(() => call.state === 'terminated', 3000, 'the 486');
  t.deepEqual(r.of(1), ['failed:486:Busy']);
});

test('hang-up while ringing: CANCEL on the wire, failed 487 before hangup() returns', async (t) => {
  const uas = await tinyUas({ ringFor: 10 });
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(async () => { await dialer.close(); await uas.close(); });
  const r = recorder();
  const call = dialer.call('sip:12333@127.0.0.1', uas.srv.url, '0431', r.events, 1);
  await eventually(() => call.state === 'early', 3000, 'the 180');
  call.hangup();
  t.deepEqual(r.of(1), ['progress:180', 'failed:487:Canceled']);
  t.false(call.cancelPending);
  await eventually(() => methods(uas).includes('CANCEL'), 3000, 'the CANCEL');
  // a second hang-up is a no-op
  call.hangup();
  t.is(r.of(1).length, 2);
});

test('hang-up before any response: failed 487 at once; JsSIP keeps the CANCEL for a provisional that never comes', async (t) => {
  const uas = await tinyUas({ silent: true });
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(async () => { await dialer.close(); await uas.close(); });
  const r = recorder();
  const call = dialer.call('sip:12333@127.0.0.1', uas.srv.url, '0431', r.events, 1);
  await eventually(() => methods(uas).includes('INVITE'), 3000, 'the INVITE');
  call.hangup();
  t.deepEqual(r.of(1), ['failed:487:Canceled']);
  t.is(call.state, 'terminated');
  t.deepEqual(methods(uas), ['INVITE'], 'no CANCEL before a provisional response (RFC 3261 §9.1)');
});

test('a 408 from the target is handed on as the target\'s (fromTarget); a 408 made up for a connection that failed, as not', async (t) => {
  const uas = await tinyUas({ reject: 408 });
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(async () => { await dialer.close(); await uas.close(); });
  const replying: string[] = [];
  const events: JsSipCallEvents<number> = { failed: (_c, s, why, fromTarget) => replying.push(`${s} ${why}: ${fromTarget}`) };
  const call = dialer.call('sip:12333@127.0.0.1', uas.srv.url, '0431', events, 1);
  await eventually(() => call.state === 'terminated', 3000, 'the 408');
  await uas.close();
  await eventually(() => dialer.stats.connectionFailures === 1, 3000, 'the connection lost');
  const lost = dialer.call('sip:12333@127.0.0.1', uas.srv.url, '0431', events, 2);
  await eventually(() => lost.state === 'terminated', 3000, 'the connection error');
  t.is(replying.length, 2);
  t.regex(replying[0]!, /^408 \S.*: true$/, 'the cause is JsSIP\'s');
  t.regex(replying[1]!, /^408 Connection Error: .*: false$/);
});

test('a 100 Trying and nothing more: JsSIP reports no progress, yet the call is early, and a LoadRun counts the target as having answered', async (t) => {
  // the tiny UAS's transaction layer sends 100 Trying after 0.2 s when its TU stays silent
  const uas = await tinyUas({ silent: true });
  const clock = new WallClockScheduler();
  const dialer = new JsSipDialer<RunState>({ connections: 1 });
  t.teardown(async () => { clock.close(); await dialer.close(); await uas.close(); });
  await dialer.ready(uas.srv.url);
  const run = new LoadRun(clock, dialer, {
    uri: 'sip:12333@127.0.0.1', peer: uas.srv.url, rate: 100, calls: 1, duration: 10, maxConcurrent: 10,
    keys: '', keyGap: 0, hold: 0, ringTimeout: 0.8, from: '0431',
  }, new RandomStreams(5).stream('load:arrivals'));
  run.start();
  await run.done;
  // a provisional came: a CANCEL at the ring timeout, not "no answer" given up in silence
  t.like(run.counters, { started: 1, answered: 0, responded: 1, ringTimeouts: 1, failed: {} });
  await eventually(() => methods(uas).includes('CANCEL'), 3000, 'the CANCEL');
  run.destroy();
});

test('many concurrent calls share a pool of connections, in turn', async (t) => {
  const uas = await tinyUas({ ringFor: 0.3 });
  const dialer = new JsSipDialer<number>({ connections: 3 });
  t.teardown(async () => { await dialer.close(); await uas.close(); });
  await dialer.ready(uas.srv.url);
  const r = recorder();
  const calls = Array.from({ length: 60 }, (_, i) => dialer.call('sip:12333@127.0.0.1', uas.srv.url, `0431${i}`, r.events, i));
  await eventually(() => dialer.stats.live === 60 && calls.every((c) => c.state === 'confirmed'), 5000, 'every answer');
  t.is(uas.srv.stats.accepted, 3);
  t.deepEqual([...uas.invitesBy.values()], [20, 20, 20]);
  for (const c of calls) c.hangup();
  t.is(dialer.stats.live, 0);
  t.true(calls.every((c) => r.of(c.data!).join() === 'progress:180,answered,ended:local'));
  await eventually(() => methods(uas).filter((m) => m === 'BYE').length === 60, 3000, 'every BYE');
});

test('calls placed before the WebSocket is up wait for it; a call hung up meanwhile never goes out', async (t) => {
  const uas = await tinyUas();
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(async () => { await dialer.close(); await uas.close(); });
  const r = recorder();
  const a = dialer.call('sip:12333@127.0.0.1', uas.srv.url, '0431', r.events, 1);
  const b = dialer.call('sip:12333@127.0.0.1', uas.srv.url, '0431', r.events, 2);
  b.hangup();
  t.deepEqual(r.of(2), ['failed:487:Canceled']);
  await eventually(() => a.state === 'confirmed' && methods(uas).includes('ACK'), 3000, 'the answer and its ACK');
  t.deepEqual(methods(uas), ['INVITE', 'ACK']);
});

test('a call towards the load generator is refused 486 at once', async (t) => {
  const uas = await tinyUas();
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(async () => { await dialer.close(); await uas.close(); });
  await dialer.ready(uas.srv.url);
  let answer: SipResponse | undefined;
  void uas.callBack('ws:1').then((r) => { answer = r; });
  // without the refusal JsSIP would ring for its 60 s no-answer timeout
  await eventually(() => answer !== undefined, 3000, 'a final answer');
  t.is(answer!.status, 486);
  t.is(dialer.stats.calls, 0);
});

test('an unreachable target: failed 408 with the connection error, reported after call() returns', async (t) => {
  const uas = await tinyUas();
  const url = uas.srv.url;
  await uas.close();
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(() => dialer.close());
  await t.throwsAsync(dialer.ready(url), { message: /ECONNREFUSED/ });
  const r = recorder();
  // the connection is down now (JsSIP retries it later): the call fails, but not inside call()
  const call = dialer.call('sip:12333@127.0.0.1', url, '0431', r.events, 1);
  t.deepEqual(r.log, []);
  await Promise.resolve();
  t.deepEqual(r.of(1), ['failed:408:Connection Error: connect ECONNREFUSED ' + url.slice('ws://'.length)]);
  t.is(call.state, 'terminated');
  t.like(dialer.stats, { connectionFailures: 1, live: 0 });
});

test('the server goes away: answered calls end with error, ringing ones fail 408', async (t) => {
  const uas = await tinyUas({ ringFor: 30 });
  const fast = await tinyUas();
  const dialer = new JsSipDialer<number>({ connections: 1 });
  t.teardown(async () => { await dialer.close(); await fast.close(); });
  const r = recorder();
  const ringing = dialer.call('sip:12333@127.0.0.1', uas.srv.url, '0431', r.events, 1);
  const up = dialer.call('sip:12333@127.0.0.1', fast.srv.url, '0431', r.events, 2);
  await eventually(() => ringing.state === 'early' && up.state === 'confirmed', 3000, 'ringing and answered');
  await Promise.all([uas.close(), fast.close()]);
  await eventually(() => ringing.state === 'terminated' && up.state === 'terminated', 3000, 'both over');
  t.deepEqual(r.of(1).slice(0, 1), ['progress:180']);
  t.regex(r.of(1)[1]!, /^failed:408:Connection Error/);
  t.deepEqual(r.of(2), ['progress:180', 'answered', 'ended:error']);
  t.is(dialer.stats.live, 0);
});

test('a LoadRun on the dialer: open model, keys acknowledged, every call ends', async (t) => {
  const uas = await tinyUas({ ringFor: 0.2 });
  const clock = new WallClockScheduler();
  const dialer = new JsSipDialer<RunState>({ connections: 2 });
  t.teardown(async () => { clock.close(); await dialer.close(); await uas.close(); });
  await dialer.ready(uas.srv.url);
  const run = new LoadRun(clock, dialer, {
    uri: 'sip:12333@127.0.0.1', peer: uas.srv.url, rate: 40, calls: 30, duration: 10, maxConcurrent: 100,
    keys: '12', keyGap: 0.05, hold: 0.05, ringTimeout: 5, from: '0431',
  }, new RandomStreams(5).stream('load:arrivals'));
  run.start();
  await run.done;
  t.like(run.counters, { started: 30, answered: 30, failed: {}, keysSent: 60, keysAcked: 60, completed: 30, endedByTarget: 0 });
  t.true(run.metrics.ivr_answer.percentile(50) >= 0.2);
  run.destroy();
});

test('after a run and close() nothing of JsSIP is left: the process exits by itself', async (t) => {
  const url = (f: string) => new URL(f, import.meta.url).href;
  const code = `
    import { WsServerTransport } from '${url('../ws-transport.js')}';
    import { createResponse } from '${url('../transaction.js')}';
    import { fixedSdp } from '${url('./fake-webrtc.js')}';
    import { JsSipDialer } from '${url('./jssip-dialer.js')}';
    const srv = await WsServerTransport.listen({ onMessage: (m, from) => {
      if (m.kind !== 'request' || m.method === 'ACK') return;
      if (m.method === 'INVITE') {
        srv.send(createResponse(m, 180, 'Ringing', 'u1'), from);
        const ok = createResponse(m, 200, 'OK', 'u1');
        srv.send({ ...ok, headers: [...ok.headers, { name: 'Contact', value: '<sip:u@127.0.0.1;transport=ws>' }, { name: 'Content-Type', value: 'application/sdp' }], body: fixedSdp(1) }, from);
      } else srv.send(createResponse(m, 200, 'OK'), from);
    } });
    const dialer = new JsSipDialer({ connections: 3 });
    let acked = 0, ended = 0;
    const events = { answered: (c) => c.sendDtmf('5'), infoAnswered: (c, s) => { if (s === 200) acked++; c.hangup(); }, ended: () => ended++ };
    for (let i = 0; i < 6; i++) dialer.call('sip:12333@127.0.0.1', srv.url, '0431' + i, events);
    await new Promise((r) => { const p = setInterval(() => { if (ended === 6) { clearInterval(p); r(); } }, 5); });
    await dialer.close();
    await srv.close();
    if (acked !== 6) { console.error('acked ' + acked); process.exitCode = 3; }
  `;
  const r = await runChild(code, 8000);
  t.is(r.stderr, '');
  t.is(r.exit, 0);
});

const loop = { allowRemote: false, isLoopback };

test('targets: sip: URIs with transport=ws, and ws:// URLs', (t) => {
  t.deepEqual(parseWsTarget('sip:12333@127.0.0.1:8088;transport=ws', loop), { uri: 'sip:12333@127.0.0.1:8088', wsUrl: 'ws://127.0.0.1:8088' });
  t.deepEqual(parseWsTarget('sip:12333@127.0.0.1:8443;transport=WSS', loop), { uri: 'sip:12333@127.0.0.1:8443', wsUrl: 'wss://127.0.0.1:8443' });
  t.deepEqual(parseWsTarget('sip:12333@[::1]:8088;transport=ws', loop), { uri: 'sip:12333@[::1]:8088', wsUrl: 'ws://[::1]:8088' });
  t.deepEqual(parseWsTarget('ws://127.0.0.1:8088', loop), { uri: 'sip:12333@127.0.0.1:8088', wsUrl: 'ws://127.0.0.1:8088' });
  t.deepEqual(parseWsTarget('ws://127.0.0.1:8088/sip', loop), { uri: 'sip:12333@127.0.0.1:8088', wsUrl: 'ws://127.0.0.1:8088/sip' });
  t.deepEqual(parseWsTarget('ws://116114@localhost:8088/ws', loop), { uri: 'sip:116114@localhost:8088', wsUrl: 'ws://localhost:8088/ws' });
  t.deepEqual(parseWsTarget('wss://[::1]/sip', loop), { uri: 'sip:12333@[::1]', wsUrl: 'wss://[::1]/sip' });
  t.deepEqual(parseWsTarget('ws://10.0.0.7:80/sip', { ...loop, allowRemote: true }), { uri: 'sip:12333@10.0.0.7', wsUrl: 'ws://10.0.0.7/sip' }, 'the URL drops the default port');
});

test('bad targets say what is wrong', (t) => {
  const bad: [string, RegExp][] = [
    ['sip:12333@127.0.0.1:5060', /add ;transport=ws/],
    ['sip:12333@127.0.0.1:5060;transport=udp', /add ;transport=ws/],
    ['sip:12333@127.0.0.1:8088;transport=ws;lr', /unsupported URI parameter lr/],
    ['sip:12333@127.0.0.1:70000;transport=ws', /port 70000 is out of range/],
    ['sip:12333@10.1.2.3:8088;transport=ws', /10\.1\.2\.3 is not a loopback address; add --remote/],
    ['ws://sbc.example.com/sip', /sbc\.example\.com is not a loopback address/],
    ['ws://a:b@127.0.0.1:8088', /password/],
    ['ws://127.0.0.1:8088/sip?x=1', /no query or fragment/],
    ['ws://12%zz@127.0.0.1:8088', /bad %-escape/],
    ['http://127.0.0.1:8088', /expected sip:12333@127\.0\.0\.1:8088;transport=ws or a WebSocket URL/],
    ['12333', /expected sip:/],
  ];
  for (const [target, message] of bad) t.throws(() => parseWsTarget(target, loop), { instanceOf: WsTargetError, message }, target);
});
