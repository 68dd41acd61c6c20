import test from 'ava';
import { request as httpRequest } from 'node:http';
import { WebSocket } from 'ws';
import { WallClockScheduler } from '../kernel/wall-clock.js';
import { parse } from './codec.js';
import { header, to, topVia } from './headers.js';
import type { SipMessage, SipRequest, SipResponse } from './message.js';
import { createResponse } from './transaction.js';
import { TransactionLayer } from './transaction-layer.js';
import type { TransportProblem } from './transport-inbound.js';
import { deferred, eventually, rawRequest, request, runChild } from './transport-test-kit.js';
import { WsClientTransport, WsServerTransport, type WsServerOptions } from './ws-transport.js';

/** A WS server whose receive callback answers every request 200 and records it. */
async function answering(o: Partial<WsServerOptions> = {}): Promise<{ srv: WsServerTransport; seen: [SipRequest, string][]; problems: TransportProblem[] }> {
  const seen: [SipRequest, string][] = [];
  const problems: TransportProblem[] = [];
  const srv: WsServerTransport = await WsServerTransport.listen({
    ...o,
    onMessage: (m, from) => {
      if (m.kind !== 'request') return;
      seen.push([m, from]);
      srv.send(createResponse(m, 200, 'OK', 'srv'), from);
    },
    onProblem: (p) => problems.push(p),
  });
  return { srv, seen, problems };
}

/** A raw `ws` client offering `sip`, recording the SIP messages it receives. */
async function rawClient(url: string): Promise<{ ws: WebSocket; inbox: SipMessage[]; via: string }> {
  const ws = new WebSocket(url, 'sip');
  const inbox: SipMessage[] = [];
  ws.on('message', (d: Buffer) => inbox.push(parse(d)));
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  return { ws, inbox, via: 'SIP/2.0/WS k2jd8s0.invalid;branch=z9hG4bK-raw' };
}

function closeRaw(ws: WebSocket): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return Promise.resolve();
  return new Promise((r) => { ws.once('close', () => r()); ws.close(); });
}

test('OPTIONS both ways between client and server transports, transaction layers on the wall clock', async (t) => {
  const clock = new WallClockScheduler();
  const timers = { reliable: true };
  const seenByServer: [SipRequest, string][] = [];
  let uas: TransactionLayer | undefined;
  const srv = await WsServerTransport.listen({ path: '/sip', onMessage: (m, from) => uas!.receive(m, from) });
  uas = new TransactionLayer(clock, srv, {
    onRequest: (req, tx) => { seenByServer.push([req, tx.from]); tx.respond(createResponse(req, 200, 'OK', 'uas')); },
  }, timers, 'uas');
  let uac: TransactionLayer | undefined;
  const seenByClient: SipRequest[] = [];
  const cli = await WsClientTransport.connect(srv.url, { onMessage: (m, from) => uac!.receive(m, from) });
  uac = new TransactionLayer(clock, cli, {
    onRequest: (req, tx) => { seenByClient.push(req); tx.respond(createResponse(req, 200, 'OK', 'uac')); },
  }, timers, 'uac');
  t.teardown(async () => { clock.close(); await cli.close(); await srv.close(); });
  t.regex(srv.url, /^ws:\/\/127\.0\.0\.1:\d+\/sip$/);
  t.regex(cli.via, /^SIP\/2\.0\/WS 127\.0\.0\.1:\d+$/);

  // client -> server
  const r1 = deferred<SipResponse>();
  uac.sendRequest(request('OPTIONS', `${cli.via};branch=${uac.newBranch()}`), cli.peer, { onResponse: (r) => r1.resolve(r), onTimeout: () => t.fail() });
  t.is((await r1.promise).status, 200);
  const [req, from] = seenByServer[0]!;
  t.is(from, 'ws:1');
  t.is(srv.peerOf('ws:1'), cli.localAddress);
  t.is(topVia(req)!.received, undefined, 'sent-by is the real source: nothing to stamp');

  // server -> client, on the connection the client came in on
  const r2 = deferred<SipResponse>();
  uas.sendRequest(request('OPTIONS', `${srv.via};branch=${uas.newBranch()}`, { callId: 'from-server' }), from, { onResponse: (r) => r2.resolve(r), onTimeout: () => t.fail() });
  const back = await r2.promise;
  t.is(back.status, 200);
  t.is(to(back)!.tag, 'uac');
  t.is(header(seenByClient[0]!, 'Call-ID'), 'from-server');
  // over a reliable transport Timers J and K are zero: nothing lingers
  await eventually(() => uac!.size.clients + uac!.size.servers + uas!.size.clients + uas!.size.servers === 0, 3000, 'transactions to end');
  t.like(srv.stats, { accepted: 1, open: 1, delivered: 2, sent: 2, malformed: 0 });
});

test('one SIP message per frame: text or binary, Content-Length optional; the Via host gets received=', async (t) => {
  const { srv, seen } = await answering();
  const c = await rawClient(srv.url);
  t.teardown(async () => { await closeRaw(c.ws); await srv.close(); });
  c.ws.send(rawRequest('OPTIONS', c.via, (s) => s.replace('Content-Length: 0\r\n', ''), 'no-length'));
  c.ws.send(Buffer.from(rawRequest('MESSAGE', c.via, (s) => s.replace('Content-Length: 0\r\n\r\n', 'Content-Type: text/plain\r\n\r\nhello'), 'binary-frame')));
  await eventually(() => c.inbox.length === 2, 3000, 'two answers');
  t.deepEqual(seen.map(([m]) => header(m, 'Call-ID')), ['no-length', 'binary-frame']);
  t.is(seen[1]![0].body, 'hello');
  t.is(topVia(seen[0]![0])!.received, '127.0.0.1');
  t.deepEqual(c.inbox.map((m) => (m as SipResponse).status), [200, 200]);
});

test('a malformed frame gets 400 on its connection, garbage is dropped, and the next good message works', async (t) => {
  const { srv, seen, problems } = await answering();
  const c = await rawClient(srv.url);
  t.teardown(async () => { await closeRaw(c.ws); await srv.close(); });
  c.ws.send(rawRequest('INVITE', c.via, (s) => s.replace('CSeq: 1 INVITE', 'CSeq: one INVITE').replace('Call-ID', 'Call-ID: x\r\nCall-ID'), 'bad'));
  c.ws.send(rawRequest('INVITE', c.via, (s) => s.replace('To: <sip:12333@127.0.0.1>', 'To: <sip:12333@127.0.0.1'), 'bad-to'));
  c.ws.send('this is not SIP');
  c.ws.send('\r\n\r\n');
  c.ws.send(rawRequest('OPTIONS', c.via, undefined, 'good'));
  await eventually(() => c.inbox.length === 2, 3000, 'the 400 and the 200');
  const [bad, ok] = c.inbox as SipResponse[];
  t.is(bad!.status, 400);
  t.is(header(bad!, 'Call-ID'), 'bad-to');
  t.regex(header(bad!, 'Warning')!, /To: unterminated \\"<\\"/);
  t.is(ok!.status, 200);
  t.deepEqual(seen.map(([m]) => header(m, 'Call-ID')), ['good']);
  // the first one had no valid CSeq (and two Call-IDs): nothing to match a 400 with, so dropped
  t.like(srv.stats, { received: 5, malformed: 3, answered400: 1, dropped: 2, keepAlives: 1, delivered: 1 });
  t.deepEqual(problems.map((p) => p.action), ['dropped', 400, 'dropped']);
});

test('oversize: 513 up to twice the limit, beyond that the connection is closed with 1009', async (t) => {
  const { srv, seen } = await answering({ maxMessageSize: 1000 });
  t.teardown(() => srv.close());
  const c = await rawClient(srv.url);
  t.teardown(() => closeRaw(c.ws));
  c.ws.send(rawRequest('MESSAGE', c.via, (s) => s.replace('Content-Length: 0\r\n\r\n', `Content-Type: text/plain\r\n\r\n${'x'.repeat(1200)}`)));
  await eventually(() => c.inbox.length === 1, 3000, 'the 513');
  t.is((c.inbox[0] as SipResponse).status, 513);
  const closed = deferred<number>();
  c.ws.once('close', (code) => closed.resolve(code));
  c.ws.send('x'.repeat(2500));
  t.is(await closed.promise, 1009);
  await eventually(() => srv.stats.open === 0, 3000, 'the server to forget the connection');
  t.like(srv.stats, { oversize: 2, answered513: 1, dropped: 1 });
  t.is(seen.length, 0);
});

test('clients not offering the sip subprotocol are refused with an HTTP error', async (t) => {
  const { srv, problems } = await answering({ path: '/sip', maxConnections: 1 });
  t.teardown(() => srv.close());
  const refused = (ws: WebSocket): Promise<number> => new Promise((resolve, reject) => {
    ws.once('unexpected-response', (_req, res) => { resolve(res.statusCode ?? 0); res.resume(); ws.terminate(); });
    ws.once('open', () => reject(new Error('accepted')));
    ws.on('error', () => {});
  });
  t.is(await refused(new WebSocket(srv.url, 'chat')), 400);
  t.is(await refused(new WebSocket(srv.url)), 400);
  await t.throwsAsync(WsClientTransport.connect(srv.url.replace('/sip', '/other'), { onMessage: () => {} }), { message: /refused: 404 .*use \/sip/ });
  // a plain HTTP request is told to upgrade
  const status = await new Promise<number>((resolve) => {
    httpRequest(srv.url.replace('ws:', 'http:'), (res) => { res.resume(); resolve(res.statusCode ?? 0); }).end();
  });
  t.is(status, 426);
  // maxConnections
  const first = await WsClientTransport.connect(srv.url, { onMessage: () => {} });
  t.teardown(() => first.close());
  await t.throwsAsync(WsClientTransport.connect(srv.url, { onMessage: () => {} }), { message: /refused: 503/ });
  t.like(srv.stats, { accepted: 1, refused: 5, open: 1 });
  t.regex(problems[0]!.message, /subprotocol "sip" required .*offered: chat/);
});

test('send never throws: unknown connection, closed client', async (t) => {
  const problems: TransportProblem[] = [];
  const srv = await WsServerTransport.listen({ onMessage: () => {}, onProblem: (p) => problems.push(p) });
  t.teardown(() => srv.close());
  const m = request('OPTIONS', `${srv.via};branch=z9hG4bK-x`);
  t.notThrows(() => srv.send(m, 'ws:99'));
  t.is(srv.stats.sendFailed, 1);
  const clientProblems: TransportProblem[] = [];
  const cli = await WsClientTransport.connect(srv.url, { onMessage: () => {}, onProblem: (p) => clientProblems.push(p) });
  await cli.close();
  t.notThrows(() => cli.send(m, cli.peer));
  t.is(cli.stats.sendFailed, 1);
  t.regex(problems[0]!.message, /no open WebSocket connection/);
  t.regex(clientProblems[0]!.message, /not open/);
});

test('server close() closes client connections with 1001', async (t) => {
  const { srv } = await answering();
  const clientProblems: TransportProblem[] = [];
  const cli = await WsClientTransport.connect(srv.url, { onMessage: () => {}, onProblem: (p) => clientProblems.push(p) });
  await srv.close();
  await eventually(() => clientProblems.length === 1, 3000, 'the client to notice');
  t.regex(clientProblems[0]!.message, /closed the connection \(code 1001\)/);
  await cli.close();
});

test('after close() nothing is left open: the process exits by itself', async (t) => {
  const url = (f: string) => new URL(f, import.meta.url).href;
  const code = `
    import { WsServerTransport, WsClientTransport } from '${url('./ws-transport.js')}';
    import { TransactionLayer } from '${url('./transaction-layer.js')}';
    import { createResponse } from '${url('./transaction.js')}';
    import { WallClockScheduler } from '${url('../kernel/wall-clock.js')}';
    import { request } from '${url('./transport-test-kit.js')}';
    const clock = new WallClockScheduler();
    let uas, uac;
    const srv = await WsServerTransport.listen({ onMessage: (m, f) => uas.receive(m, f) });
    uas = new TransactionLayer(clock, srv, { onRequest: (r, tx) => tx.respond(createResponse(r, 180, 'Ringing', 't')) }, { reliable: true });
    const cli = await WsClientTransport.connect(srv.url, { onMessage: (m, f) => uac.receive(m, f) });
    uac = new TransactionLayer(clock, cli, { onRequest: () => {} }, { reliable: true });
    await new Promise((resolve) => uac.sendRequest(request('INVITE', cli.via + ';branch=' + uac.newBranch()), cli.peer, { onResponse: resolve }));
    // the INVITE client transaction still runs Timer B (32 s): close() must cancel it
    clock.close();
    await srv.close();
    await cli.close();
  `;
  const r = await runChild(code);
  t.is(r.stderr, '');
  t.is(r.exit, 0);
});
