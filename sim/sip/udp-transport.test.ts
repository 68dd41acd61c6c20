import test from 'ava';
import { createSocket, type Socket } from 'node:dgram';
import { WallClockScheduler } from '../kernel/wall-clock.js';
import { parse, serialize } from './codec.js';
import { header, headerValues, to, topVia } from './headers.js';
import type { SipMessage, SipRequest, SipResponse } from './message.js';
import { createResponse } from './transaction.js';
import { TransactionLayer } from './transaction-layer.js';
import type { TransportProblem } from './transport-inbound.js';
import { deferred, eventually, rawRequest, request, runChild } from './transport-test-kit.js';
import { UdpTransport } from './udp-transport.js';

/** A plain UDP socket playing a peer that sends raw bytes and records what comes back. */
class RawPeer {
  readonly inbox: SipMessage[] = [];
  private constructor(private readonly socket: Socket, readonly port: number) {
    socket.on('message', (d) => this.inbox.push(parse(d)));
  }
  static async open(): Promise<RawPeer> {
    const s = createSocket('udp4');
    await new Promise<void>((r) => { s.bind(0, '127.0.0.1', () => r()); });
    return new RawPeer(s, s.address().port);
  }
  get via(): string {
    return `SIP/2.0/UDP 127.0.0.1:${this.port};branch=z9hG4bK-raw-${this.inbox.length}-${Math.floor(performance.now())};rport`;
  }
  send(text: string | Buffer, to: string): void {
    const [host, port] = to.split(':');
    this.socket.send(text, Number(port), host);
  }
  close(): Promise<void> {
    return new Promise((r) => { this.socket.close(() => r()); });
  }
}

/** A UDP transport whose receive callback answers every request 200 and records it. */
async function answering(maxMessageSize?: number): Promise<{ t: UdpTransport; seen: [SipRequest, string][]; problems: TransportProblem[] }> {
  const seen: [SipRequest, string][] = [];
  const problems: TransportProblem[] = [];
  const t: UdpTransport = await UdpTransport.bind({
    ...(maxMessageSize !== undefined ? { maxMessageSize } : {}),
    onMessage: (m, from) => {
      if (m.kind !== 'request') return;
      seen.push([m, from]);
      t.send(createResponse(m, 200, 'OK', 'srv'), from);
    },
    onProblem: (p) => problems.push(p),
  });
  return { t, seen, problems };
}

test('OPTIONS round trip between two transports with transaction layers on the wall clock', async (t) => {
  const clock = new WallClockScheduler();
  const timers = { t1: 0.005, t4: 0.02 };
  const seen: [SipRequest, string][] = [];
  let uas: TransactionLayer | undefined;
  const b = await UdpTransport.bind({ onMessage: (m, from) => uas!.receive(m, from) });
  uas = new TransactionLayer(clock, b, {
    onRequest: (req, tx) => {
      seen.push([req, tx.from]);
      tx.respond(createResponse(req, 200, 'OK', 'uas-1'));
    },
  }, timers, 'uas');
  let uac: TransactionLayer | undefined;
  const a = await UdpTransport.bind({ onMessage: (m, from) => uac!.receive(m, from) });
  uac = new TransactionLayer(clock, a, { onRequest: () => {} }, timers, 'uac');
  t.teardown(async () => {
    clock.close();
    await Promise.all([a.close(), b.close()]);
  });

  const final = deferred<SipResponse>();
  uac.sendRequest(request('OPTIONS', `${a.via};branch=${uac.newBranch()};rport`), b.address, {
    onResponse: (r) => { if (r.status >= 200) final.resolve(r); },
    onTimeout: () => t.fail('timed out'),
  });
  const r = await final.promise;
  t.is(r.status, 200);
  t.is(to(r)!.tag, 'uas-1');
  // the server saw the real source and stamped the top Via (RFC 3581)
  const [req, from] = seen[0]!;
  t.is(from, a.address);
  const port = Number(a.address.split(':')[1]);
  t.is(topVia(req)!.received, '127.0.0.1');
  t.is(topVia(req)!.rport, port);
  // both transactions run to Terminated (Timers K and J), leaving nothing behind
  await eventually(() => uac!.size.clients === 0 && uas!.size.servers === 0, 3000, 'transactions to terminate');
  // retransmissions (T1 is 5 ms here) may have crossed on the wire; the TU saw the request once
  t.is(seen.length, 1);
  t.true(a.stats.sent >= 1);
  t.is(b.stats.delivered, a.stats.sent);
  t.is(a.stats.delivered, b.stats.sent);
  t.is(a.stats.malformed + b.stats.malformed, 0);
});

test('a malformed request gets 400 naming the problem, and the next good one still works', async (t) => {
  const { t: srv, seen, problems } = await answering();
  const peer = await RawPeer.open();
  t.teardown(() => Promise.all([srv.close(), peer.close()]));
  peer.send(rawRequest('OPTIONS', peer.via, (s) => s.replace('CSeq: 1 OPTIONS', 'CSeq: 1 OPTIONS\r\nMax-Forwards: 70')), srv.address);
  await eventually(() => peer.inbox.length === 1, 3000, 'the 400');
  const bad = peer.inbox[0] as SipResponse;
  t.is(bad.status, 400);
  t.regex(bad.reason, /Bad Request \(duplicate Max-Forwards header\)/);
  t.regex(header(bad, 'Warning')!, /^399 callsim ".*duplicate Max-Forwards.*"$/);
  t.is(header(bad, 'Call-ID'), 'raw-1');
  t.truthy(to(bad)!.tag);
  t.is(topVia(bad)!.rport, peer.port);
  t.is(problems[0]?.kind, 'malformed');
  t.is(problems[0]?.action, 400);

  peer.send(rawRequest('OPTIONS', peer.via, undefined, 'raw-2'), srv.address);
  await eventually(() => peer.inbox.length === 2, 3000, 'the 200');
  t.is((peer.inbox[1] as SipResponse).status, 200);
  t.is(header(peer.inbox[1]!, 'Call-ID'), 'raw-2');
  t.is(seen.length, 1);
  t.like(srv.stats, { received: 2, malformed: 1, answered400: 1, delivered: 1, dropped: 0 });
});

test('garbage that cannot be answered is dropped and counted; keep-alives are ignored', async (t) => {
  const { t: srv, seen, problems } = await answering();
  const peer = await RawPeer.open();
  t.teardown(() => Promise.all([srv.close(), peer.close()]));
  peer.send(Buffer.from([0x00, 0x01, 0x00, 0x00, 0x21, 0x12, 0xa4, 0x42]), srv.address); // a STUN header
  peer.send('SIP/2.0 200 OK\r\nVia: garbage\r\n\r\n', srv.address); // a broken response is never answered
  peer.send(rawRequest('ACK', peer.via, (s) => s.replace('Max-Forwards: 70', 'Max-Forwards: many')), srv.address); // nor an ACK
  peer.send(rawRequest('OPTIONS', 'SIP/2.0/UDP', undefined), srv.address); // no usable Via: nowhere to send a 400
  peer.send('\r\n\r\n', srv.address);
  peer.send(rawRequest('OPTIONS', peer.via, undefined, 'after-garbage'), srv.address);
  await eventually(() => seen.length === 1 && peer.inbox.length === 1, 3000, 'the good request');
  // datagrams on loopback arrive in order: had the garbage been answered, that answer would be first
  t.is(header(peer.inbox[0]!, 'Call-ID'), 'after-garbage');
  t.like(srv.stats, { received: 6, malformed: 4, dropped: 4, answered400: 0, keepAlives: 1, delivered: 1 });
  t.deepEqual(problems.map((p) => p.action), ['dropped', 'dropped', 'dropped', 'dropped']);
});

test('an oversize request gets 513 and oversize sends are refused without throwing', async (t) => {
  const { t: srv, seen, problems } = await answering(800);
  const peer = await RawPeer.open();
  t.teardown(() => Promise.all([srv.close(), peer.close()]));
  const big = rawRequest('MESSAGE', peer.via, (s) => s.replace('Content-Length: 0\r\n\r\n', `Content-Type: text/plain\r\nContent-Length: 900\r\n\r\n${'x'.repeat(900)}`));
  peer.send(big, srv.address);
  await eventually(() => peer.inbox.length === 1, 3000, 'the 513');
  t.is((peer.inbox[0] as SipResponse).status, 513);
  t.is(seen.length, 0);
  t.like(srv.stats, { oversize: 1, answered513: 1 });
  srv.send(request('MESSAGE', `${srv.via};branch=z9hG4bK-big`, { body: 'y'.repeat(1000), contentType: 'text/plain' }), `127.0.0.1:${peer.port}`);
  t.is(srv.stats.sendFailed, 1);
  t.regex(problems.at(-1)!.message, /over the 800-byte limit/);
  // text a transaction kept (its final response) goes through the same checks, named by its start line
  const bigOk = serialize({ ...createResponse(parse(rawRequest('OPTIONS', peer.via)) as SipRequest, 200, 'OK', 'srv'), body: 'z'.repeat(1000) });
  srv.sendText(bigOk, `127.0.0.1:${peer.port}`);
  t.is(srv.stats.sendFailed, 2);
  t.regex(problems.at(-1)!.message, /^cannot send 200 response to 127\.0\.0\.1:\d+: \d+ bytes is over the 800-byte limit/);
});

test('sendText sends serialized text as it is', async (t) => {
  const { t: srv } = await answering();
  const peer = await RawPeer.open();
  t.teardown(() => Promise.all([srv.close(), peer.close()]));
  const text = serialize(createResponse(parse(rawRequest('OPTIONS', peer.via)) as SipRequest, 486, 'Busy Here', 'srv'));
  srv.sendText(text, `127.0.0.1:${peer.port}`);
  await eventually(() => peer.inbox.length === 1, 3000, 'the 486');
  t.is(serialize(peer.inbox[0]!), text);
  t.is(srv.stats.sent, 1);
});

test('send never throws: bad address, closed transport', async (t) => {
  const problems: TransportProblem[] = [];
  const a = await UdpTransport.bind({ onMessage: () => {}, onProblem: (p) => problems.push(p) });
  const m = request('OPTIONS', `${a.via};branch=z9hG4bK-x`);
  t.notThrows(() => a.send(m, 'not an address:x'));
  await a.close();
  t.notThrows(() => a.send(m, '127.0.0.1:5060'));
  await a.close(); // idempotent
  t.is(a.stats.sendFailed, 2);
  t.deepEqual(problems.map((p) => p.kind), ['send-failed', 'send-failed']);
  t.regex(problems[1]!.message, /closed/);
});

test('IPv6 loopback: addresses in brackets, round trip', async (t) => {
  const seen: [SipRequest, string][] = [];
  const v6: UdpTransport = await UdpTransport.bind({ host: '::1', onMessage: (m, from) => { if (m.kind === 'request') { seen.push([m, from]); v6.send(createResponse(m, 200, 'OK'), from); } } });
  t.regex(v6.address, /^\[::1\]:\d+$/);
  const replies: SipMessage[] = [];
  const c = await UdpTransport.bind({ host: '::1', onMessage: (m) => replies.push(m) });
  t.teardown(() => Promise.all([v6.close(), c.close()]));
  c.send(request('OPTIONS', `${c.via};branch=z9hG4bK-v6;rport`), v6.address);
  await eventually(() => replies.length === 1, 3000, 'the 200 over IPv6');
  t.is(seen[0]![1], c.address);
  t.is(headerValues(seen[0]![0], 'Via')[0], `${c.via};branch=z9hG4bK-v6;received=[::1];rport=${c.address.split(':').at(-1)}`);
});

test('bind fails cleanly on a port in use', async (t) => {
  const a = await UdpTransport.bind({ onMessage: () => {} });
  t.teardown(() => a.close());
  const port = Number(a.address.split(':')[1]);
  await t.throwsAsync(UdpTransport.bind({ port, onMessage: () => {} }), { message: /EADDRINUSE/ });
});

test('after close() nothing is left open: the process exits by itself', async (t) => {
  const url = (f: string) => new URL(f, import.meta.url).href;
  const code = `
    import { UdpTransport } from '${url('./udp-transport.js')}';
    import { TransactionLayer } from '${url('./transaction-layer.js')}';
    import { createResponse } from '${url('./transaction.js')}';
    import { WallClockScheduler } from '${url('../kernel/wall-clock.js')}';
    import { request } from '${url('./transport-test-kit.js')}';
    const clock = new WallClockScheduler();
    let uas, uac;
    const b = await UdpTransport.bind({ onMessage: (m, f) => uas.receive(m, f) });
    uas = new TransactionLayer(clock, b, { onRequest: (r, tx) => tx.respond(createResponse(r, 200, 'OK', 't')) });
    const a = await UdpTransport.bind({ onMessage: (m, f) => uac.receive(m, f) });
    uac = new TransactionLayer(clock, a, { onRequest: () => {} });
    await new Promise((resolve) => uac.sendRequest(request('OPTIONS', a.via + ';branch=' + uac.newBranch()), b.address, { onResponse: resolve }));
    // Timers J (32 s) and K (5 s) are still pending: close() must cancel them
    clock.close();
    await a.close();
    await b.close();
  `;
  const r = await runChild(code);
  t.is(r.stderr, '');
  t.is(r.exit, 0);
});
