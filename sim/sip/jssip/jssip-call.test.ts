// The JsSIP caller against a tiny test-only UAS built on WsServerTransport + TransactionLayer:
// INVITE -> 180, then 200 with SDP; INFO -> 200; BYE -> 200; CANCEL -> 200 and 487.

import test from 'ava';
import { WallClockScheduler } from '../../kernel/wall-clock.js';
import { contactUri, header } from '../headers.js';
import type { SipRequest, SipResponse } from '../message.js';
import { createResponse } from '../transaction.js';
import { TransactionLayer } from '../transaction-layer.js';
import { eventually, runChild } from '../transport-test-kit.js';
import { WsServerTransport } from '../ws-transport.js';
import { fixedSdp } from './fake-webrtc.js';
import { jssipCall } from './jssip-call.js';

interface UasOptions {
  /** Seconds between 180 and 200. */
  readonly ringFor?: number;
  /** Answer the INVITE with this final status instead. */
  readonly reject?: number;
  /** Hang up (BYE) after this many INFOs. */
  readonly hangUpAfterInfos?: number;
}

interface TinyUas {
  readonly srv: WsServerTransport;
  readonly seen: SipRequest[];
  /** Responses to the UAS's own BYE. */
  readonly byeAnswers: SipResponse[];
  readonly layer: TransactionLayer;
  close(): Promise<void>;
}

async function tinyUas(o: UasOptions = {}): Promise<TinyUas> {
  const clock = new WallClockScheduler();
  const seen: SipRequest[] = [];
  const byeAnswers: SipResponse[] = [];
  let layer: TransactionLayer | undefined;
  let dialog: { invite: SipRequest; tag: string; peer: string } | undefined;
  let infos = 0;
  const srv = await WsServerTransport.listen({ path: '/sip', onMessage: (m, from) => layer!.receive(m, from) });
  const hangUp = (): void => {
    const d = dialog!;
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
      switch (req.method) {
        case 'INVITE': {
          const tag = `uas${seen.length}`;
          dialog = { invite: req, tag, peer: tx.from };
          if (o.reject !== undefined) {
            tx.respond(createResponse(req, o.reject, 'Busy Here', tag));
            return;
          }
          tx.respond(createResponse(req, 180, 'Ringing', tag));
          clock.after(o.ringFor ?? 0.02, () => {
            if (tx.state !== 'Proceeding') return; // cancelled meanwhile
            const ok = createResponse(req, 200, 'OK', tag);
            tx.respond({
              ...ok,
              headers: [...ok.headers, { name: 'Contact', value: `<sip:12333@${srv.address};transport=ws>` }, { name: 'Content-Type', value: 'application/sdp' }],
              body: fixedSdp(12333),
            });
          }, undefined);
          return;
        }
        case 'INFO':
          tx.respond(createResponse(req, 200, 'OK'));
          if (++infos === o.hangUpAfterInfos) hangUp();
          return;
        case 'CANCEL':
          tx.respond(createResponse(req, 200, 'OK'));
          if (cancels?.state === 'Proceeding') cancels.respond(createResponse(cancels.request, 487, 'Request Terminated', dialog?.tag));
          return;
        default:
          tx.respond(createResponse(req, req.method === 'BYE' ? 200 : 405, req.method === 'BYE' ? 'OK' : 'Method Not Allowed'));
      }
    },
    onAck: (ack) => { seen.push(ack); },
  }, { reliable: true }, 'uas');
  return { srv, seen, byeAnswers, layer, close: async () => { clock.close(); await srv.close(); } };
}

const methods = (u: TinyUas): string[] => u.seen.map((r) => r.method);

test('a JsSIP caller completes a call with DTMF by INFO and hangs up', async (t) => {
  const uas = await tinyUas();
  t.teardown(() => uas.close());
  const r = await jssipCall({ wsUrl: uas.srv.url, target: `sip:12333@${uas.srv.address}`, dtmf: '0', dtmfTransport: 'INFO', hangupAfter: 0.3, timeout: 5 });
  t.like(r, { endedBy: 'local', cause: 'Terminated', dtmfSent: 1, dtmfAcked: 1, status: undefined });
  t.true(r.progressAt! > 0);
  t.true(r.answeredAt! >= r.progressAt!);
  t.true(r.endedAt! >= r.answeredAt!);
  t.deepEqual(methods(uas), ['INVITE', 'ACK', 'INFO', 'BYE']);
  const info = uas.seen[2]!;
  t.is(header(info, 'Content-Type'), 'application/dtmf-relay');
  t.regex(info.body, /^Signal=0\r\nDuration=100/);
  t.regex(header(uas.seen[0]!, 'Content-Type')!, /application\/sdp/);
  t.regex(uas.seen[0]!.body, /^v=0\r\n[\s\S]*m=audio 9 RTP\/AVP 0 101/);
  t.like(uas.srv.stats, { malformed: 0, dropped: 0, sendFailed: 0 });
});

test('the far end hangs up: endedBy remote, and JsSIP answers the BYE', async (t) => {
  const uas = await tinyUas({ hangUpAfterInfos: 2 });
  t.teardown(() => uas.close());
  const r = await jssipCall({ wsUrl: uas.srv.url, target: 'sip:12333@127.0.0.1', dtmf: '12', dtmfGap: 0.05, timeout: 5 });
  t.like(r, { endedBy: 'remote', cause: 'Terminated', dtmfSent: 2, dtmfAcked: 2 });
  t.deepEqual(uas.seen.filter((m) => m.method === 'INFO').map((m) => m.body.split('\r\n')[0]), ['Signal=1', 'Signal=2']);
  // the caller answered before it closed: the 200 reaches the UAS after the result is in
  await eventually(() => uas.byeAnswers.length === 1, 3000, 'the 200 to BYE');
  t.is(uas.byeAnswers[0]!.status, 200);
});

test('a rejected call: endedBy remote with the status and JsSIP cause', async (t) => {
  const uas = await tinyUas({ reject: 486 });
  t.teardown(() => uas.close());
  const r = await jssipCall({ wsUrl: uas.srv.url, target: 'sip:12333@127.0.0.1', timeout: 5 });
  t.like(r, { endedBy: 'remote', cause: 'Busy', status: 486, answeredAt: undefined, dtmfSent: 0 });
  t.deepEqual(methods(uas), ['INVITE']);
  // the ACK of a non-2xx belongs to the server transaction (RFC 3261 §17.2.1): without it the
  // transaction would stay Completed until Timer H (32 s)
  await eventually(() => uas.layer.size.servers === 0, 3000, 'the ACK for the 486');
});

test('timeout while ringing: CANCEL, the 487 is awaited and ACKed', async (t) => {
  const uas = await tinyUas({ ringFor: 10 });
  t.teardown(() => uas.close());
  const r = await jssipCall({ wsUrl: uas.srv.url, target: 'sip:12333@127.0.0.1', timeout: 1 });
  t.like(r, { endedBy: 'timeout', cause: 'Canceled', answeredAt: undefined });
  t.true(r.progressAt! > 0);
  t.deepEqual(methods(uas), ['INVITE', 'CANCEL']);
  await eventually(() => uas.layer.size.servers === 0, 3000, 'the ACK for the 487');
});

test('a refused WebSocket connection ends the call at once with the reason', async (t) => {
  const uas = await tinyUas();
  t.teardown(() => uas.close());
  const r = await jssipCall({ wsUrl: uas.srv.url.replace('/sip', '/nope'), target: 'sip:12333@127.0.0.1', timeout: 5 });
  t.like(r, { endedBy: 'system', invitedAt: undefined });
  t.regex(r.cause, /Connection Error: WebSocket upgrade refused: 404/);
  t.is(uas.seen.length, 0);
});

test('bad DTMF keys are refused up front', async (t) => {
  await t.throwsAsync(jssipCall({ wsUrl: 'ws://127.0.0.1:9/sip', target: 'sip:x@y', dtmf: '12x' }), { instanceOf: TypeError });
});

test('after a call nothing of JsSIP is left: the process exits by itself', async (t) => {
  const url = (f: string) => new URL(f, import.meta.url).href;
  const code = `
    import { WsServerTransport } from '${url('../ws-transport.js')}';
    import { createResponse } from '${url('../transaction.js')}';
    import { fixedSdp } from '${url('./fake-webrtc.js')}';
    import { jssipCall } from '${url('./jssip-call.js')}';
    // a stateless answerer is enough here
    const srv = await WsServerTransport.listen({ onMessage: (m, from) => {
      if (m.kind !== 'request' || m.method === 'ACK') return;
      if (m.method === 'INVITE') {
        srv.send(createResponse(m, 180, 'Ringing', 'u1'), from);
        const ok = createResponse(m, 200, 'OK', 'u1');
        srv.send({ ...ok, headers: [...ok.headers, { name: 'Contact', value: '<sip:u@127.0.0.1;transport=ws>' }, { name: 'Content-Type', value: 'application/sdp' }], body: fixedSdp(1) }, from);
      } else srv.send(createResponse(m, 200, 'OK'), from);
    } });
    const r = await jssipCall({ wsUrl: srv.url, target: 'sip:12333@127.0.0.1', dtmf: '5', hangupAfter: 0.05, timeout: 5 });
    await srv.close();
    if (r.endedBy !== 'local' || r.dtmfAcked !== 1) { console.error(JSON.stringify(r)); process.exitCode = 3; }
  `;
  const r = await runChild(code, 8000);
  t.is(r.stderr, '');
  t.is(r.exit, 0);
});

test('hangupAfter 0: BYE right after the answer, no DTMF', async (t) => {
  const uas = await tinyUas({ ringFor: 0.1 });
  t.teardown(() => uas.close());
  const r = await jssipCall({ wsUrl: uas.srv.url, target: 'sip:12333@127.0.0.1', hangupAfter: 0, timeout: 5 });
  t.like(r, { endedBy: 'local', cause: 'Terminated' });
  t.deepEqual(methods(uas), ['INVITE', 'ACK', 'BYE']);
});
